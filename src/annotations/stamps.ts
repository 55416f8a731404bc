import { PREFIX, RULES, formatSetting, type TargetSettings } from './catalogue.js';

/** The label the scaler selects managed Deployments by. */
export const MANAGED_LABEL = `${PREFIX}managed`;
/** `<namespace>/<name>` of the Ingress whose settings are stamped. */
export const INGRESS_ANNOTATION = `${PREFIX}ingress`;
/** JSON of the scaler's last decision, written by the scaler. */
export const LAST_DECISION_ANNOTATION = `${PREFIX}last-decision`;

const STAMPED_RULES = RULES.filter((r) => r.setting);

/** Every annotation key that stamping owns (the last decision belongs to the scaler). */
export const STAMP_ANNOTATION_KEYS: readonly string[] = [INGRESS_ANNOTATION, ...STAMPED_RULES.map((r) => PREFIX + r.key)];

export interface Stamps {
  labels: Record<string, string>;
  annotations: Record<string, string>;
}

/** The label and annotations that carry one target's effective settings. */
export function stampsFor(ingressRef: string, settings: TargetSettings): Stamps {
  const annotations: Record<string, string> = { [INGRESS_ANNOTATION]: ingressRef };
  for (const rule of STAMPED_RULES) {
    annotations[PREFIX + rule.key] = formatSetting(rule, settings[rule.setting as keyof TargetSettings]);
  }
  return { labels: { [MANAGED_LABEL]: 'true' }, annotations };
}

/** Reads the stamped settings back from a Deployment's annotations; undefined if any is missing or broken. */
export function settingsFromStamps(annotations: Record<string, string> | undefined): TargetSettings | undefined {
  if (!annotations?.[INGRESS_ANNOTATION]) return undefined;
  const out: Record<string, unknown> = {};
  for (const rule of STAMPED_RULES) {
    const text = annotations[PREFIX + rule.key];
    if (text === undefined) return undefined;
    const parsed = rule.parse(text);
    if (!parsed.ok) return undefined;
    out[rule.setting as string] = parsed.value;
  }
  return out as unknown as TargetSettings;
}

/** True when every stamp in `want` is already on the object. */
export function hasStamps(
  meta: { labels?: Record<string, string>; annotations?: Record<string, string> } | undefined,
  want: Stamps,
): boolean {
  const same = (have: Record<string, string> | undefined, need: Record<string, string>) =>
    Object.entries(need).every(([k, v]) => have?.[k] === v);
  return same(meta?.labels, want.labels) && same(meta?.annotations, want.annotations);
}
