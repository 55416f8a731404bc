import type { SimParams } from './policies.js';
import type { Timeline } from './run.js';
import type { Trace } from './trace.js';

const W = 1200;
const PANEL = 260;
const PAD = 50;
const COLORS: Record<string, string> = { 'hydra-route': '#d62728', hpa: '#1f77b4', 'holt-winters': '#2ca02c', oracle: '#7f7f7f' };
/** At most this many columns: long traces are bucketed, keeping each bucket's maximum so peaks stay visible. */
const COLUMNS = 1000;

function bucketMax(values: ArrayLike<number>, columns: number): number[] {
  const out: number[] = [];
  const size = Math.max(1, Math.ceil(values.length / columns));
  for (let i = 0; i < values.length; i += size) {
    let m = 0;
    for (let k = i; k < Math.min(values.length, i + size); k++) m = Math.max(m, values[k] as number);
    out.push(m);
  }
  return out;
}

function path(values: readonly number[], top: number, max: number): string {
  const dx = (W - 2 * PAD) / Math.max(1, values.length - 1);
  return values
    .map((v, i) => `${i === 0 ? 'M' : 'L'}${(PAD + i * dx).toFixed(1)},${(top + PANEL - (v / max) * PANEL).toFixed(1)}`)
    .join('');
}

function axis(top: number, label: string, max: number): string {
  return `<line x1="${PAD}" y1="${top + PANEL}" x2="${W - PAD}" y2="${top + PANEL}" stroke="#999"/>` +
    `<line x1="${PAD}" y1="${top}" x2="${PAD}" y2="${top + PANEL}" stroke="#999"/>` +
    `<text x="${PAD}" y="${top - 6}" font-size="12">${label} (max ${max.toFixed(0)})</text>`;
}

/**
 * Two panels: load against each policy's ready capacity (requests/min), and replicas per
 * policy. Hand-written SVG: no dependency, and the file opens in any browser.
 */
export function renderChart(trace: Trace, p: SimParams, tl: Timeline): string {
  const names = Object.keys(tl.replicas);
  const load = bucketMax(trace.load, COLUMNS);
  const caps = names.map((n) => bucketMax(Array.from(tl.ready[n]!, (r) => r * p.capacityPerPod), COLUMNS));
  const reps = names.map((n) => bucketMax(tl.replicas[n]!, COLUMNS));
  const loadMax = Math.max(1, ...load, ...caps.flat());
  const repMax = Math.max(1, p.max);
  const top2 = PAD + PANEL + 60;
  const parts = [
    `<svg xmlns="http://www.w3.org/2000/svg" width="${W}" height="${top2 + PANEL + PAD}" font-family="sans-serif">`,
    `<rect width="100%" height="100%" fill="white"/>`,
    `<text x="${PAD}" y="20" font-size="14">${escape(trace.name)}: load vs ready capacity, and replicas (bucket maxima)</text>`,
    axis(PAD, 'requests/min: load (black) and ready capacity', loadMax),
    `<path d="${path(load, PAD, loadMax)}" fill="none" stroke="black" stroke-width="1"/>`,
    ...names.map((n, i) => `<path d="${path(caps[i]!, PAD, loadMax)}" fill="none" stroke="${COLORS[n] ?? '#000'}" stroke-width="0.8" opacity="0.8"/>`),
    axis(top2, 'replicas', repMax),
    ...names.map((n, i) => `<path d="${path(reps[i]!, top2, repMax)}" fill="none" stroke="${COLORS[n] ?? '#000'}" stroke-width="0.8" opacity="0.8"/>`),
    ...names.map((n, i) => `<text x="${W - PAD - 120}" y="${PAD + 14 * (i + 1)}" font-size="12" fill="${COLORS[n] ?? '#000'}">${escape(n)}</text>`),
    '</svg>',
  ];
  return parts.join('\n');
}

function escape(text: string): string {
  return text.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;');
}
