import { closest, distance } from 'fastest-levenshtein';
import { PREFIX, RULES } from './catalogue.js';

/** Keys HydraRoute writes on Deployments; on an Ingress they are a mistake of their own kind. */
const STAMP_ONLY = new Set(['managed', 'ingress', 'last-decision']);

const squash = (s: string) => s.toLowerCase().replace(/[^a-z0-9]/g, '');
const PREFIX_SQUASHED = squash(PREFIX);
const NAMES = RULES.map((r) => r.key);

/** A key HydraRoute does not know, but that is ours or looks like it: what is wrong and the fix. */
export interface KeyFinding {
  rule: string;
  fix: string;
}

/**
 * The name part of a key that looks like ours. Misspelled prefixes come in many forms
 * (`hydra-route.io/`, `hydraroute.ai/`, `HydraRoute.ai/`, `hydra-route.ai.min-replicas`), so
 * a key is ours when its prefix is within three edits of ours after folding case and
 * punctuation, or when it starts with "hydraroute" once folded. Keys of other tools that
 * merely contain "hydra" (Ory Hydra's `hydra.ory.sh/`) stay foreign.
 */
function splitLookalike(key: string): { prefix: string; name: string } | undefined {
  const slash = key.lastIndexOf('/');
  if (slash >= 0) {
    const prefix = key.slice(0, slash + 1);
    const name = key.slice(slash + 1);
    const near = distance(squash(prefix), PREFIX_SQUASHED) <= 3 || squash(prefix).includes('hydraroute');
    // `hydra.ai/dry-run`, `hydra/min-replicas`: a prefix naming "hydra" and exactly one of our key names.
    const ourName = squash(prefix).includes('hydra') && !prefix.toLowerCase().startsWith('hydra.ory.sh/') &&
      NAMES.includes(name.toLowerCase().replace(/_/g, '-'));
    return near || ourName ? { prefix, name } : undefined;
  }
  const m = /^hydra[-_.]?route(?:[-_.]?(?:ai|io|com|dev|org))?[-_.:]+(.+)$/i.exec(key);
  return m ? { prefix: key.slice(0, key.length - (m[1] as string).length), name: m[1] as string } : undefined;
}

/** The known key nearest to `name`, when it is near enough to be a likely typo. */
function nearestName(name: string): string | undefined {
  const lower = name.toLowerCase().replace(/_/g, '-');
  const best = closest(lower, NAMES);
  const allowed = Math.max(2, Math.floor(best.length / 3));
  return distance(lower, best) <= allowed ? best : undefined;
}

const knownList = () => NAMES.map((n) => PREFIX + n).join(', ');

/** What is wrong with a key that is not in the catalogue; undefined for another tool's key. */
export function inspectUnknownKey(key: string): KeyFinding | undefined {
  const parts = key.startsWith(PREFIX) ? { prefix: PREFIX, name: key.slice(PREFIX.length) } : splitLookalike(key);
  if (!parts) return undefined;
  const lowerName = parts.name.toLowerCase();
  if (parts.prefix === PREFIX && STAMP_ONLY.has(lowerName)) {
    return {
      rule: 'is written by HydraRoute on the Deployment it scales, not set on an Ingress',
      fix: 'remove it from the Ingress',
    };
  }
  const near = nearestName(parts.name);
  const rule = parts.prefix === PREFIX
    ? 'is not a known HydraRoute annotation'
    : `is not a HydraRoute annotation: the prefix is "${parts.prefix}", not "${PREFIX}"`;
  if (near) return { rule, fix: `did you mean "${PREFIX}${near}"?` };
  return { rule, fix: `the known annotations are ${knownList()}` };
}
