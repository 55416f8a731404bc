import { startChild } from '../lib/proc.js';
import type { CycleReport } from './cycle-child.js';

const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)] as number;

export interface ScalerReport {
  runs: CycleReport[];
  goals: Record<string, boolean>;
}

/**
 * Each size in a fresh process pinned to one core (the scaler's loop is one thread), so the
 * memory of one size does not linger into the next.
 */
export async function benchScaler(sizes: number[], cycles: number, print: (line: string) => void, nodeArgs: string[] = []): Promise<ScalerReport> {
  const runs: CycleReport[] = [];
  for (const targets of sizes) {
    const child = startChild(new URL('./cycle-child.js', import.meta.url), { cpu: 0, nodeArgs: ['--expose-gc', '--max-old-space-size=8192', ...nodeArgs] });
    try {
      await child.next('ready');
      const { result } = await child.ask<{ result: CycleReport }>({ type: 'measure', targets, cycles, retrainSample: 10 }, 'result', 900_000);
      runs.push(result);
      if (runs.length === 1) print(`scaler: ${result.engine}\n  retrain: ${result.retrainKind}`);
      print(
        `  ${targets} targets: cycle median ${median(result.cycleMs).toFixed(1)} ms (all: ${result.cycleMs.map((x) => x.toFixed(1)).join(', ')}), ` +
          `${((median(result.cycleMs) * 1000) / targets).toFixed(1)} us/target; memory ${(result.bytesPerTarget / 1024).toFixed(1)} KB/target ` +
          `(history arrays ${(result.historyBytesPerTarget / 1024).toFixed(1)} KB); retrain ${result.retrainMsPerTarget.toFixed(2)} ms/target ` +
          `(${result.retrainSampled} sampled, ${((result.retrainMsPerTarget * targets) / 1000).toFixed(1)} s for all); setup ${(result.setupMs / 1000).toFixed(1)} s; actions ${JSON.stringify(result.actions)}`,
      );
    } finally {
      await child.stop();
    }
  }
  const at = (n: number) => runs.find((r) => r.targets === n);
  const goals: Record<string, boolean> = {};
  const small = at(1000);
  if (small) goals['cycle < 200 ms for 1,000 targets on one core'] = median(small.cycleMs) < 200;
  goals['memory < 200 KB per target'] = runs.every((r) => r.bytesPerTarget < 200 * 1024);
  return { runs, goals };
}
