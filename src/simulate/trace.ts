import { readFileSync } from 'node:fs';

/** A per-minute request trace: minute timestamps (ms) and requests in that minute. */
export interface Trace {
  name: string;
  t: number[];
  load: number[];
}

/**
 * Reads the CSV format of ../shared/traces: a header, then `timestamp,minute_index,requests`.
 * Time comes from the first timestamp plus the minute index, so gaps in the index (absent
 * minutes) stay gaps instead of being squeezed together.
 */
export function parseTrace(text: string, name: string): Trace {
  const lines = text.split(/\r?\n/).filter((l) => l.trim() !== '');
  const t: number[] = [];
  const load: number[] = [];
  let origin: number | undefined;
  for (let i = 1; i < lines.length; i++) {
    const [stamp, index, requests] = lines[i]!.split(',');
    const minute = Number(index);
    const count = Number(requests);
    if (!Number.isFinite(minute) || !Number.isFinite(count) || count < 0) {
      throw new Error(`${name}: line ${i + 1}: expected "timestamp,minute_index,requests", got "${lines[i]}"`);
    }
    if (origin === undefined) {
      const first = Date.parse(stamp ?? '');
      if (!Number.isFinite(first)) throw new Error(`${name}: line ${i + 1}: unreadable timestamp "${stamp}"`);
      origin = first - minute * 60_000;
    }
    t.push(origin + minute * 60_000);
    load.push(count);
  }
  if (t.length === 0) throw new Error(`${name}: no rows after the header`);
  return { name, t, load };
}

export function readTrace(path: string): Trace {
  return parseTrace(readFileSync(path, 'utf8'), path.split('/').pop() ?? path);
}
