import { writeFileSync } from 'node:fs';
import { renderChart } from './chart.js';
import { USAGE, parseSimulateArgs, simParams } from './options.js';
import { formatTable, toJson } from './report.js';
import { simulate } from './run.js';
import { readTrace } from './trace.js';

/** `hydra-route simulate ...`: returns the exit code; results on stdout, progress on stderr. */
export async function runSimulateCommand(argv: string[]): Promise<number> {
  if (argv.includes('--help') || argv.includes('-h')) {
    process.stdout.write(`${USAGE}\n`);
    return 0;
  }
  try {
    const o = parseSimulateArgs(argv);
    const trace = readTrace(o.trace);
    const params = simParams(o, trace);
    const say = (text: string) => { if (!o.quiet) process.stderr.write(text); };
    say(`simulate: ${trace.name}: ${trace.load.length} minutes, capacity ${params.capacityPerPod.toFixed(2)} req/min per pod, ` +
      `start-up ${params.startupMs / 1000}s, replicas ${params.min}-${params.max}, model ${params.settings.model}\n`);
    const started = Date.now();
    const outcome = simulate(trace, params, (done) => say(`simulate: ${(done * 100).toFixed(0)}% (${((Date.now() - started) / 1000).toFixed(0)}s)\n`));
    say(`simulate: done in ${((Date.now() - started) / 1000).toFixed(1)}s\n`);
    if (o.chart) {
      writeFileSync(o.chart, renderChart(trace, params, outcome.timeline));
      say(`simulate: chart written to ${o.chart}\n`);
    }
    process.stdout.write(`${o.output === 'json' ? toJson(outcome.results) : formatTable(trace.name, outcome.results)}\n`);
    return 0;
  } catch (err) {
    process.stderr.write(`hydra-route simulate: ${err instanceof Error ? err.message : String(err)}\n${USAGE}\n`);
    return 2;
  }
}
