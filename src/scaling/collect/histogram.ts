/** One cumulative bucket: observations ≤ `le`. */
export interface Bucket {
  le: number;
  count: number;
}

/**
 * The q-quantile of a cumulative histogram by linear interpolation inside the bucket
 * where the rank falls — the same estimate PromQL's histogram_quantile makes, so both
 * sources agree. NaN when there are no observations.
 */
export function histogramQuantile(q: number, buckets: Bucket[]): number {
  const sorted = [...buckets].sort((a, b) => a.le - b.le);
  const last = sorted[sorted.length - 1];
  if (!last || last.le !== Infinity || last.count <= 0) return NaN;
  const rank = q * last.count;
  let lowerLe = 0;
  let lowerCount = 0;
  for (let i = 0; i < sorted.length; i++) {
    const b = sorted[i] as Bucket;
    if (b.count >= rank) {
      // In the +Inf bucket nothing bounds the value; report the largest finite bound.
      if (b.le === Infinity) return i > 0 ? (sorted[i - 1] as Bucket).le : NaN;
      if (b.count === lowerCount) return b.le;
      return lowerLe + ((b.le - lowerLe) * (rank - lowerCount)) / (b.count - lowerCount);
    }
    lowerLe = b.le;
    lowerCount = b.count;
  }
  return NaN;
}
