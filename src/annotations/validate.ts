import { closest, distance } from 'fastest-levenshtein';
import type { Config } from '../config/schema.js';
import { KNOWN_KEYS, PREFIX, RULE_BY_KEY, RULES, settingsFromConfig, type TargetSettings } from './catalogue.js';

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

/** The value as shown in a message: quoted, control characters escaped, long values shortened. */
export function showValue(value: string): string {
  const quoted = JSON.stringify(value);
  return quoted.length > MAX_SHOWN ? `${quoted.slice(0, MAX_SHOWN - 4)}..."` : quoted;
}

const squash = (s: string) => s.toLowerCase().replace(/[^a-z0-9]/g, '');
const PREFIX_SQUASHED = squash(PREFIX);

function suggestKey(name: string): string {
  const suffixes = RULES.map((r) => r.key);
  return PREFIX + closest(name.toLowerCase(), suffixes);
}

/** A problem for a key that looks like ours but is not a known key; undefined for a foreign key. */
function checkUnknownKey(key: string, value: string): AnnotationProblem | undefined {
  const slash = key.indexOf('/');
  const prefix = slash >= 0 ? key.slice(0, slash + 1) : '';
  const name = slash >= 0 ? key.slice(slash + 1) : key;
  if (prefix === PREFIX) {
    const suggestion = suggestKey(name);
    return { key, value, rule: 'is not a known HydraRoute annotation', fix: `did you mean "${suggestion}"?` };
  }
  const looksLikeOurs = prefix !== '' && distance(squash(prefix), PREFIX_SQUASHED) <= 3;
  if (!looksLikeOurs) return undefined;
  const suggestion = RULE_BY_KEY.has(PREFIX + name.toLowerCase()) ? PREFIX + name.toLowerCase() : suggestKey(name);
  return { key, value, rule: `has the prefix "${prefix}", not "${PREFIX}"`, fix: `did you mean "${suggestion}"?` };
}

/**
 * Checks every HydraRoute annotation of one Ingress and merges the valid ones over the
 * global configuration. All problems are returned together; nothing throws.
 */
export function validateAnnotations(annotations: Record<string, unknown> | undefined, config: Config): AnnotationVerdict {
  const problems: AnnotationProblem[] = [];
  const settings = settingsFromConfig(config);
  const given = new Set<string>();
  let enabled = false;
  let target: string | undefined;

  for (const [key, raw] of Object.entries(annotations ?? {})) {
    const value = typeof raw === 'string' ? raw : JSON.stringify(raw) ?? String(raw);
    const rule = RULE_BY_KEY.get(key);
    if (!rule) {
      const problem = checkUnknownKey(key, value);
      if (problem) problems.push(problem);
      continue;
    }
    if (typeof raw !== 'string') {
      problems.push({ key, value, rule: 'must be a string (quote it in YAML)' });
      continue;
    }
    const parsed = rule.parse(raw);
    if (!parsed.ok) {
      problems.push({ key, value, rule: parsed.rule });
      continue;
    }
    given.add(rule.key);
    if (rule.key === 'enabled') enabled = parsed.value as boolean;
    else if (rule.key === 'target') target = parsed.value as string;
    else if (rule.setting) (settings as unknown as Record<string, unknown>)[rule.setting] = parsed.value;
  }

  if (settings.minReplicas > settings.maxReplicas && !problems.some((p) => /(min|max)-replicas$/.test(p.key))) {
    const minFromAnnotation = given.has('min-replicas');
    const key = PREFIX + (minFromAnnotation ? 'min-replicas' : 'max-replicas');
    problems.push({
      key,
      value: String(minFromAnnotation ? settings.minReplicas : settings.maxReplicas),
      rule: minFromAnnotation
        ? `must not exceed max-replicas (${settings.maxReplicas}${given.has('max-replicas') ? '' : ', from the global scaling.max_replicas'})`
        : `must not be below min-replicas (${settings.minReplicas}${given.has('min-replicas') ? '' : ', from the global scaling.min_replicas'})`,
      fix: 'make min-replicas less than or equal to max-replicas',
    });
  }
  return { problems, enabled, target, settings };
}

/** One line per problem, as kubectl shows it. */
export function formatProblem(p: AnnotationProblem): string {
  return `${p.key}=${showValue(p.value)}: ${p.rule}${p.fix ? `; ${p.fix}` : ''}`;
}

/** The whole denial text for one object. */
export function formatDenial(subject: string, problems: AnnotationProblem[]): string {
  const head = `${subject} has ${problems.length} invalid HydraRoute annotation${problems.length === 1 ? '' : 's'}`;
  return [head, ...problems.map((p) => `  - ${formatProblem(p)}`)].join('\n');
}

export { KNOWN_KEYS };
