import { readdirSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { parseSimulateArgs, simParams } from '../src/simulate/options.js';
import { formatMarkdown, formatTable } from '../src/simulate/report.js';
import { simulate, type PolicyResult } from '../src/simulate/run.js';
import { readTrace } from '../src/simulate/trace.js';
import { measureCost } from './quality-cost.js';
import { packageRoot } from '../src/local/paths.js';

/**
 * Scaling-quality benchmark: `simulate` with its defaults on every trace in traces/ (the repo's copy of ../shared/traces)
 * (or the folder given as the first argument), the goals checked, and per-target model cost.
 *   node dist/bench/quality.js [TRACES_DIR] [--markdown]
 */
const args = process.argv.slice(2);
const markdown = args.includes('--markdown');
const dir = resolve(args.find((a) => !a.startsWith('--')) ?? join(packageRoot(), 'traces'));
const files = readdirSync(dir).filter((f) => f.endsWith('.csv')).sort();
if (files.length === 0) {
  process.stderr.write(`quality: no .csv traces in ${dir}\n`);
  process.exit(1);
}

function goals(rows: readonly PolicyResult[]): string[] {
  const get = (name: string) => rows.find((r) => r.policy === name)!;
  const [h, hpa, oracle] = [get('hydra-route'), get('hpa'), get('oracle')];
  const mark = (ok: boolean) => (ok ? 'met' : 'MISSED');
  return [
    `over-capacity share <= half of HPA's: ${mark(h.overCapacityShare <= hpa.overCapacityShare / 2)} (${(h.overCapacityShare * 100).toFixed(3)}% vs ${(hpa.overCapacityShare * 50).toFixed(3)}%)`,
    `replica-hours <= HPA's: ${mark(h.replicaHours <= hpa.replicaHours)} (${(h.replicaHours / hpa.replicaHours).toFixed(2)}x HPA)`,
    `replica-hours within 1.2x oracle: ${mark(h.replicaHours <= 1.2 * oracle.replicaHours)} (${(h.replicaHours / oracle.replicaHours).toFixed(2)}x oracle)`,
  ];
}

let failed = 0;
for (const file of files) {
  const trace = readTrace(join(dir, file));
  const opts = parseSimulateArgs(['--trace', join(dir, file)]);
  const params = simParams(opts, trace);
  const started = performance.now();
  const out = simulate(trace, params, (d) => process.stderr.write(`quality: ${file} ${(d * 100).toFixed(0)}%\n`));
  const secs = (performance.now() - started) / 1000;
  process.stdout.write(`\n${markdown ? `### ${file}\n\n${formatMarkdown(out.results)}` : formatTable(file, out.results)}\n`);
  const g = goals(out.results);
  failed += g.filter((l) => l.includes('MISSED')).length;
  process.stdout.write(`${g.map((l) => `- ${l}`).join('\n')}\n`);
  process.stdout.write(`- simulated ${trace.load.length} minutes in ${secs.toFixed(1)}s; capacity ${params.capacityPerPod.toFixed(1)} req/min per pod; ` +
    `${out.hydra.trains} retrains (${(out.hydra.trainMs / Math.max(1, out.hydra.trains)).toFixed(0)} ms each), model ${params.settings.model}\n`);
}

const costTrace = readTrace(join(dir, files[0]!));
process.stdout.write(`\nCost per target at the default 24h window (${files[0]}):\n`);
process.stdout.write('| model | full retrain (ms) | forecast (µs) | observe + online update (µs) | retained heap (KiB) |\n|---|---:|---:|---:|---:|\n');
for (const model of ['linear', 'neural_network', 'ensemble'] as const) {
  const c = measureCost(costTrace, model);
  process.stdout.write(`| ${model} | ${c.trainMs.toFixed(0)} | ${c.predictUs.toFixed(0)} | ${c.observeUs.toFixed(0)} | ${c.heapKiB.toFixed(0)} |\n`);
}
process.stdout.write(`\n${failed === 0 ? 'all goals met' : `${failed} goal(s) missed; see docs/quality.md`}\n`);
