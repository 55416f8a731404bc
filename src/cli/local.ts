import { parseArgs } from 'node:util';
import { createKubeClients } from '../kube/client.js';
import { localDown, localUp } from '../local/local-up.js';
import { ReplayExporter } from '../local/replay-exporter.js';

const progress = (m: string) => process.stderr.write(`[local] ${m}\n`);

/** `hydra-route local up|down` (and `exporter`, which `up` starts as its own process). */
export async function runLocal(argv: string[]): Promise<number> {
  const [sub, ...rest] = argv;
  if (sub === 'up') {
    const state = await localUp(progress);
    progress('everything answers; use it with:');
    process.stdout.write(`export KUBECONFIG=${state.kubeconfig}\n`);
    return 0;
  }
  if (sub === 'down') {
    await localDown(progress);
    return 0;
  }
  if (sub === 'exporter') {
    const { values } = parseArgs({
      args: rest,
      options: { kubeconfig: { type: 'string' }, port: { type: 'string', default: '9400' }, trace: { type: 'string' }, speed: { type: 'string', default: '1' }, 'capacity-per-pod': { type: 'string', default: '100' } },
    });
    if (!values.trace) throw new Error('local exporter: --trace FILE is required');
    const exporter = new ReplayExporter(createKubeClients(values.kubeconfig), {
      tracePath: values.trace, speed: Number(values.speed), capacityPerPod: Number(values['capacity-per-pod']),
    });
    exporter.start();
    await exporter.server().listen({ port: Number(values.port), host: '127.0.0.1' });
    return -1;
  }
  process.stderr.write('usage: hydra-route local up | down\n');
  return 2;
}
