/** The two members of the ensemble. */
export type Member = 'linear' | 'neural_network';

/**
 * Inverse-squared-error weights from each member's recent out-of-sample error. Squaring
 * lets a clearly better member dominate while a close runner-up still contributes; until
 * both have a record the weights are equal.
 */
export function ensembleWeights(linearMae: number, neuralMae: number): Record<Member, number> {
  if (!Number.isFinite(linearMae) || !Number.isFinite(neuralMae)) return { linear: 0.5, neural_network: 0.5 };
  const wl = 1 / (linearMae * linearMae + 1e-12);
  const wn = 1 / (neuralMae * neuralMae + 1e-12);
  return { linear: wl / (wl + wn), neural_network: wn / (wl + wn) };
}

/** Weighted combination per horizon; with one member present, that member alone. */
export function combine(preds: ReadonlyMap<Member, number[]>, w: Record<Member, number>): number[] | undefined {
  const l = preds.get('linear');
  const n = preds.get('neural_network');
  if (!l || !n) return l ?? n;
  return l.map((v, j) => w.linear * v + w.neural_network * (n[j] as number));
}
