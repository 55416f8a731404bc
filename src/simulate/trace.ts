import { readFileSync } from 'node:fs';

/** A per-minute request trace: minute timestamps (ms) and requests in that minute. */
export interface Trace {
  name: string;
  t: number[];
  load: number[];
}

/**
 * Reads the CSV format of traces/ (and ../shared/traces): a header, then `timestamp,minute_index,requests`.
 * Time comes from the first timestamp plus the minute index, so gaps in the index (absent
 * minutes) stay gaps instead of being squeezed together.
 */
export function parseTrace(text: string, name: string): Trace {
  const lines = text.split(/\r?\n/).filter((l) => l.trim() !== '');
  const header = lines[0] ?? '';
  // The header names the columns; a file whose first line is data would silently lose a row.
  if (!/^[A-Za-z_ ]+,[A-Za-z_ ]+,[A-Za-z_ ]+$/.test(header.trim())) {
    throw new Error(`${name}: line 1: expected a header such as "timestamp,minute_index,requests", got "${header.slice(0, 60)}"`);
  }
  const t: number[] = [];
  const load: number[] = [];
  let origin: number | undefined;
  let previous = -Infinity;
  for (let i = 1; i < lines.length; i++) {
    const cells = lines[i]!.split(',');
    const at = `${name}: line ${i + 1}`;
    if (cells.length !== 3) throw new Error(`${at}: expected "timestamp,minute_index,requests", got "${lines[i]!.slice(0, 60)}"`);
    const [stamp, index, requests] = cells as [string, string, string];
    const minute = Number(index);
    const count = Number(requests);
    if (!Number.isInteger(minute) || minute < 0) throw new Error(`${at}: minute_index must be a whole number >= 0, got "${index}"`);
    if (minute <= previous) throw new Error(`${at}: minute_index must increase from row to row, got ${minute} after ${previous}`);
    // 1e12 per minute is far beyond any real service and keeps every sum finite.
    if (!Number.isFinite(count) || count < 0 || count > 1e12) throw new Error(`${at}: requests must be a number from 0 to 1e12, got "${requests}"`);
    if (origin === undefined) {
      const first = Date.parse(stamp);
      if (!Number.isFinite(first)) throw new Error(`${at}: unreadable timestamp "${stamp}"`);
      origin = first - minute * 60_000;
    }
    previous = minute;
    t.push(origin + minute * 60_000);
    load.push(count);
  }
  if (t.length === 0) throw new Error(`${name}: no rows after the header`);
  return { name, t, load };
}

export function readTrace(path: string): Trace {
  return parseTrace(readFileSync(path, 'utf8'), path.split('/').pop() ?? path);
}
