import type { Config } from '../config/schema.js';
import { KNOWN_KEYS, PREFIX, RULE_BY_KEY, settingsFromConfig, type Rule, type TargetSettings } from './catalogue.js';
import { inspectUnknownKey } from './keys.js';

/** One broken rule: the annotation, its value as given, the rule and, where known, the fix. */
export interface AnnotationProblem {
  key: string;
  value: string;
  rule: string;
  fix?: string;
}

export interface AnnotationVerdict {
  problems: AnnotationProblem[];
  enabled: boolean;
  /** `hydra-route.ai/target` when given and valid. */
  target?: string;
  /** The global configuration overridden by every valid annotation. */
  settings: TargetSettings;
}

const MAX_SHOWN = 64;

/**
 * Text made safe for one line of a terminal: control and format characters (newlines,
 * ANSI escapes, bidirectional overrides) are shown as \u escapes so that a hostile value
 * cannot forge or hide lines in kubectl's output.
 */
export function printable(text: string): string {
  return text.replace(/[\p{Cc}\p{Cf}\p{Zl}\p{Zp}]/gu, (c) => {
    const code = c.codePointAt(0) as number;
    return code > 0xffff ? `\\u{${code.toString(16)}}` : `\\u${code.toString(16).padStart(4, '0')}`;
  });
}

/**
 * The value as shown in a message: quoted, escaped, long values shortened. Every accepted
 * value is ASCII, so anything else is shown as an escape: a Cyrillic "а" in "lineаr" would
 * otherwise look exactly like the valid value it is not.
 */
export function showValue(value: string): string {
  const quoted = printable(JSON.stringify(value)).replace(/[^\x20-\x7e]/gu, (c) => {
    const code = c.codePointAt(0) as number;
    return code > 0xffff ? `\\u{${code.toString(16)}}` : `\\u${code.toString(16).padStart(4, '0')}`;
  });
  return quoted.length > MAX_SHOWN ? `${quoted.slice(0, MAX_SHOWN - 4)}..."` : quoted;
}

/** A key as shown in a message: escaped and, when absurdly long, shortened. */
export function showKey(key: string): string {
  const safe = printable(key);
  return safe.length > 120 ? `${safe.slice(0, 117)}...` : safe;
}

/** Any value as text without risking a throw (annotation values from YAML may be numbers, maps, ...). */
function asText(raw: unknown): string {
  if (typeof raw === 'string') return raw;
  try {
    return JSON.stringify(raw) ?? String(raw);
  } catch {
    return String(raw);
  }
}

function valueProblem(rule: Rule<unknown>, key: string, raw: unknown): AnnotationProblem | undefined {
  const value = asText(raw);
  if (typeof raw !== 'string') {
    return { key, value, rule: 'must be a string: annotation values are always text', fix: `quote it in YAML: ${key}: ${JSON.stringify(value)}` };
  }
  const parsed = rule.parse(raw);
  if (parsed.ok) return undefined;
  const hint = rule.hint?.(raw);
  const fix = hint !== undefined && hint !== raw && rule.parse(hint).ok ? `did you mean "${hint}"?` : undefined;
  return { key, value, rule: parsed.rule, ...(fix ? { fix } : {}) };
}

/** min-replicas above max-replicas, once either side may come from the global configuration. */
function boundsProblem(settings: TargetSettings, given: Set<string>): AnnotationProblem {
  const minGiven = given.has('min-replicas');
  const maxGiven = given.has('max-replicas');
  const key = PREFIX + (minGiven ? 'min-replicas' : 'max-replicas');
  return {
    key,
    value: String(minGiven ? settings.minReplicas : settings.maxReplicas),
    rule: minGiven
      ? `must not exceed max-replicas (${settings.maxReplicas}${maxGiven ? '' : ', from the global scaling.max_replicas'})`
      : `must not be below min-replicas (${settings.minReplicas}, from the global scaling.min_replicas)`,
    fix: maxGiven ? 'make min-replicas less than or equal to max-replicas' : `also set ${PREFIX}max-replicas to at least ${settings.minReplicas}`,
  };
}

/**
 * Checks every HydraRoute annotation of one Ingress and merges the valid ones over the
 * global configuration. All problems are returned together; nothing throws.
 */
export function validateAnnotations(annotations: Record<string, unknown> | undefined, config: Config): AnnotationVerdict {
  const problems: AnnotationProblem[] = [];
  const settings = settingsFromConfig(config) as unknown as Record<string, unknown>;
  const given = new Set<string>();
  let enabled = false;
  let target: string | undefined;
  let boundsBroken = false;

  for (const [key, raw] of Object.entries(annotations ?? {})) {
    const rule = RULE_BY_KEY.get(key);
    if (!rule) {
      const finding = inspectUnknownKey(key);
      if (finding) problems.push({ key, value: asText(raw), ...finding });
      continue;
    }
    const problem = valueProblem(rule, key, raw);
    if (problem) {
      problems.push(problem);
      boundsBroken ||= rule.key === 'min-replicas' || rule.key === 'max-replicas';
      continue;
    }
    const value = (rule.parse(raw as string) as { value: unknown }).value;
    given.add(rule.key);
    if (rule.key === 'enabled') enabled = value as boolean;
    else if (rule.key === 'target') target = value as string;
    else if (rule.setting) settings[rule.setting] = value;
  }
  const merged = settings as unknown as TargetSettings;
  if (merged.minReplicas > merged.maxReplicas && !boundsBroken) problems.push(boundsProblem(merged, given));
  return { problems, enabled, target, settings: merged };
}

/** One line per problem, as kubectl shows it. */
export function formatProblem(p: AnnotationProblem): string {
  return `${showKey(p.key)}=${showValue(p.value)}: ${p.rule}${p.fix ? `; ${p.fix}` : ''}`;
}

/** Beyond this many, a denial lists the first ones and counts the rest (kubectl output stays readable). */
const MAX_LISTED = 20;

/** The whole denial text for one object: every problem, one per line. */
export function formatDenial(subject: string, problems: AnnotationProblem[]): string {
  const n = problems.length;
  const head = `HydraRoute: ${subject} has ${n} problem${n === 1 ? '' : 's'} with its hydra-route.ai annotations`;
  const lines = problems.slice(0, MAX_LISTED).map((p) => `  - ${formatProblem(p)}`);
  if (n > MAX_LISTED) lines.push(`  - ... and ${n - MAX_LISTED} more`);
  return [head, ...lines].join('\n');
}

export { KNOWN_KEYS };
