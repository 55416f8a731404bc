import { closest, distance } from 'fastest-levenshtein';

/**
 * Corrected spellings for common annotation value mistakes. Each returns the value the
 * user most likely meant, or undefined; the caller only offers it when it then parses,
 * so a hint here can never suggest something the catalogue would reject.
 */

const TRUTHY = new Set(['true', 'yes', 'y', 'on', '1', 'enabled', 'enable']);
const FALSY = new Set(['false', 'no', 'n', 'off', '0', 'disabled', 'disable']);

export function booleanHint(text: string): string | undefined {
  const t = text.trim().toLowerCase();
  if (TRUTHY.has(t)) return 'true';
  if (FALSY.has(t)) return 'false';
  return undefined;
}

/** "3.0" → "3", " 4 " → "4". */
export function wholeNumberHint(text: string): string | undefined {
  const t = text.trim();
  const n = Number(t);
  if (t === '' || !Number.isFinite(n) || !Number.isInteger(n)) return undefined;
  return String(n);
}

const UNIT_WORDS: Record<string, string> = {
  ms: 'ms', msec: 'ms', millisecond: 'ms', milliseconds: 'ms',
  s: 's', sec: 's', secs: 's', second: 's', seconds: 's',
  m: 'm', min: 'm', mins: 'm', minute: 'm', minutes: 'm',
  h: 'h', hr: 'h', hrs: 'h', hour: 'h', hours: 'h',
  d: 'd', day: 'd', days: 'd',
};

/** "300" → "300s" (a bare number is taken as seconds), "5 M" / "5min" → "5m". */
export function durationHint(text: string): string | undefined {
  const match = /^\s*(\d+(?:\.\d+)?)\s*([a-zA-Z]*)\s*$/.exec(text);
  if (!match) return undefined;
  const unit = match[2] === '' ? 's' : UNIT_WORDS[(match[2] as string).toLowerCase()];
  return unit ? `${match[1]}${unit}` : undefined;
}

/** "80" / "80%" → "0.8", ".8" → "0.8". */
export function fractionHint(text: string): string | undefined {
  const t = text.trim();
  const percent = /^(\d+(?:\.\d+)?)\s*%$/.exec(t);
  const n = Number(percent ? percent[1] : t);
  if (t === '' || !Number.isFinite(n) || n < 0) return undefined;
  if (percent || (n > 1 && n <= 100)) return String(n / 100);
  return n <= 1 ? String(n) : undefined;
}

/** The nearest allowed word, after folding case and separators ("Neural-Network" → "neural_network"). */
export function choiceHint(choices: readonly string[]) {
  return (text: string): string | undefined => {
    const fold = (s: string) => s.toLowerCase().replace(/[^a-z0-9]/g, '');
    const folded = fold(text);
    const exact = choices.find((c) => fold(c) === folded);
    if (exact) return exact;
    const near = closest(folded, choices.map(fold));
    return distance(folded, near) <= 2 ? choices.find((c) => fold(c) === near) : undefined;
  };
}

/** "Web_API" → "web-api": Service names are lower-case DNS labels. */
export function serviceNameHint(text: string): string | undefined {
  const fixed = text.trim().toLowerCase().replace(/[^a-z0-9-]+/g, '-').replace(/^-+|-+$/g, '');
  return fixed === '' ? undefined : fixed;
}
