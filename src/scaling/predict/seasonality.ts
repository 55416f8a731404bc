/** Autocorrelation of `y` at `lag` (Pearson over the overlapping part), or 0 when undefined. */
export function autocorrelation(y: readonly number[], lag: number): number {
  const n = y.length - lag;
  if (lag <= 0 || n < 2) return 0;
  let meanA = 0;
  let meanB = 0;
  for (let i = 0; i < n; i++) {
    meanA += y[i + lag] as number;
    meanB += y[i] as number;
  }
  meanA /= n;
  meanB /= n;
  let cov = 0;
  let varA = 0;
  let varB = 0;
  for (let i = 0; i < n; i++) {
    const a = (y[i + lag] as number) - meanA;
    const b = (y[i] as number) - meanB;
    cov += a * b;
    varA += a * a;
    varB += b * b;
  }
  return varA > 0 && varB > 0 ? cov / Math.sqrt(varA * varB) : 0;
}

/** A period counts as seasonal only when the history covers it twice and the correlation is clear. */
export const SEASONAL_MIN_CORRELATION = 0.3;

/**
 * The candidate periods (in steps) that the series shows. Needing two full periods keeps a
 * single busy afternoon from being mistaken for a daily pattern.
 */
export function detectSeasonality(y: readonly number[], candidates: readonly number[]): number[] {
  return candidates.filter((p) => y.length >= 2 * p && autocorrelation(y, p) >= SEASONAL_MIN_CORRELATION);
}
