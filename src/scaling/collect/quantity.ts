/** Kubernetes resource quantities ("250m", "128Mi", "1.5G", "1e3") as plain numbers. */
const SUFFIX: Record<string, number> = {
  n: 1e-9, u: 1e-6, m: 1e-3, '': 1, k: 1e3, M: 1e6, G: 1e9, T: 1e12, P: 1e15, E: 1e18,
  Ki: 2 ** 10, Mi: 2 ** 20, Gi: 2 ** 30, Ti: 2 ** 40, Pi: 2 ** 50, Ei: 2 ** 60,
};
const QUANTITY = /^([+-]?(?:\d+\.?\d*|\.\d+))(?:([eE][+-]?\d+)|(Ki|Mi|Gi|Ti|Pi|Ei|[numkMGTPE])?)$/;

/** NaN when the text is not a quantity, so the caller can report it rather than use 0. */
export function parseQuantity(text: string | undefined): number {
  const m = text === undefined ? null : QUANTITY.exec(text.trim());
  if (!m) return NaN;
  if (m[2]) return Number(`${m[1]}${m[2]}`);
  return Number(m[1]) * (SUFFIX[m[3] ?? ''] as number);
}
