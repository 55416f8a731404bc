import { readFileSync } from 'node:fs';

/** Requests per minute of a public trace (CSV: a header, then timestamp, minute index, requests). */
export interface Trace {
  name: string;
  /** requests[i] is the count of the i-th row (rows are minutes). */
  requests: Float64Array;
  peak: number;
}

export function parseTrace(text: string, name: string): Trace {
  const lines = text.split(/\r?\n/);
  const values: number[] = [];
  for (let i = 1; i < lines.length; i++) {
    const line = lines[i] as string;
    if (line.trim() === '') continue;
    const cells = line.split(',');
    const n = Number(cells[cells.length - 1]);
    if (!Number.isFinite(n) || n < 0) throw new Error(`${name}: line ${i + 1}: requests must be a non-negative number, got "${cells[cells.length - 1]}"`);
    values.push(n);
  }
  if (values.length === 0) throw new Error(`${name}: no data rows (expected a header, then timestamp,minute_index,requests)`);
  const requests = Float64Array.from(values);
  let peak = 0;
  for (const v of values) if (v > peak) peak = v;
  return { name, requests, peak };
}

export function loadTrace(path: string): Trace {
  return parseTrace(readFileSync(path, 'utf8'), path);
}
