/**
 * Parser for the Prometheus text exposition format 0.0.4 (what ingress-nginx serves).
 * Hand-written because the npm candidate, parse-prometheus-text-format 1.1.1, merges all
 * label sets of a labelled histogram into one object (losing `ingress`, `_sum`, `_count`)
 * and drops the last sample when the text has no trailing newline.
 */

export interface ExpoSample {
  name: string;
  labels: Record<string, string>;
  value: number;
}

export class ExpositionError extends Error {
  constructor(lineNo: number, why: string, line: string) {
    super(`line ${lineNo}: ${why}: ${line.slice(0, 120)}`);
    this.name = 'ExpositionError';
  }
}

const NAME = /^[a-zA-Z_:][a-zA-Z0-9_:]*/;
const LABEL_NAME = /^[a-zA-Z_][a-zA-Z0-9_]*/;

export function parseExpoNumber(text: string): number {
  switch (text) {
    case '+Inf':
    case 'Inf':
      return Infinity;
    case '-Inf':
      return -Infinity;
    case 'NaN':
      return NaN;
    default:
      // Number('') is 0 and Number('0x10') is 16: neither is a Prometheus float.
      return /^[+-]?(\d+\.?\d*|\.\d+)([eE][+-]?\d+)?$/.test(text) ? Number(text) : NaN;
  }
}

/** Reads `{a="x",b="y"}` from `rest`; returns the labels and what follows the brace. */
function parseLabels(rest: string, fail: (why: string) => never): [Record<string, string>, string] {
  const labels: Record<string, string> = {};
  let s = rest.slice(1).trimStart();
  while (!s.startsWith('}')) {
    const name = LABEL_NAME.exec(s)?.[0] ?? fail('bad label name');
    s = s.slice(name.length).trimStart();
    if (!s.startsWith('="') && !s.startsWith('= "')) fail('expected ="');
    s = s.slice(s.indexOf('"') + 1);
    let value = '';
    let i = 0;
    for (; i < s.length && s[i] !== '"'; i++) {
      if (s[i] === '\\') {
        const next = s[++i];
        value += next === 'n' ? '\n' : (next ?? '');
      } else value += s[i];
    }
    if (i >= s.length) fail('unterminated label value');
    labels[name] = value;
    s = s.slice(i + 1).trimStart();
    if (s.startsWith(',')) s = s.slice(1).trimStart();
    else if (!s.startsWith('}')) fail('expected , or }');
  }
  return [labels, s.slice(1)];
}

export function parseExposition(text: string): ExpoSample[] {
  const out: ExpoSample[] = [];
  const lines = text.split('\n');
  for (let n = 0; n < lines.length; n++) {
    const line = (lines[n] as string).trim();
    if (line === '' || line.startsWith('#')) continue; // HELP/TYPE are not needed to compute rates
    const fail = (why: string): never => {
      throw new ExpositionError(n + 1, why, line);
    };
    const name = NAME.exec(line)?.[0] ?? fail('bad metric name');
    let rest = line.slice(name.length).trimStart();
    let labels: Record<string, string> = {};
    if (rest.startsWith('{')) [labels, rest] = parseLabels(rest, fail);
    const fields = rest.trim().split(/\s+/);
    if (fields.length < 1 || fields.length > 2 || fields[0] === '') fail('expected a value and an optional timestamp');
    const value = parseExpoNumber(fields[0] as string);
    if (Number.isNaN(value) && fields[0] !== 'NaN') fail('bad value');
    out.push({ name, labels, value });
  }
  return out;
}
