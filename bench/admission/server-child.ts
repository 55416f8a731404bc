// Child process: the product's webhook and a bare fastify HTTPS handler on loopback, same TLS
// settings and certificate, so the only difference between them is the admission work.
import Fastify from 'fastify';
import { openSync } from 'node:fs';
import pino from 'pino';
import { createAdmissionServer } from '../../src/admission/server.js';
import { defaultConfig } from '../../src/config/load.js';
import { createLogger } from '../../src/telemetry/logger.js';
import { createProductMetrics } from '../../src/telemetry/registry.js';
import { createCertificateAuthority, createSignedCertificate } from '../../src/tls/pki.js';
import { serveParent } from '../lib/proc.js';
import { benchCluster } from './objects.js';
import { startRetrainLoad, type RetrainLoad } from '../scaler/retrain-load.js';

const APPS = Number(process.env.BENCH_APPS ?? 20);
const ca = createCertificateAuthority('bench-ca', 1);
const tls = createSignedCertificate(ca, { commonName: 'bench', dnsNames: ['localhost'], ipAddresses: ['127.0.0.1'], days: 1, usage: 'server' });
const config = defaultConfig();
// The product logs at info in production; debug lines (one per review) are off there too.
const log = createLogger('info', pino.destination({ fd: openSync('/dev/null', 'w') }));
const metrics = createProductMetrics();

const webhook = createAdmissionServer({ tls, config: () => config, cluster: benchCluster(APPS), log, metrics });
const bare = Fastify({ https: { cert: tls.cert, key: tls.key, minVersion: 'TLSv1.2' }, bodyLimit: 3 * 1024 * 1024 + 64 * 1024 });
const ALLOW = { apiVersion: 'admission.k8s.io/v1', kind: 'AdmissionReview', response: { uid: '705ab4f5-6393-11e8-b7cc-42010a800002', allowed: true } };
bare.post('/validate', async () => ALLOW);
bare.post('/mutate', async () => ALLOW);

let load: RetrainLoad | undefined;

serveParent(async (msg) => {
  if (msg.type === 'start') {
    await webhook.listen({ port: 0, host: '127.0.0.1' });
    await bare.listen({ port: 0, host: '127.0.0.1' });
    const port = (app: typeof bare) => (app.server.address() as { port: number }).port;
    return { type: 'ports', webhook: port(webhook as unknown as typeof bare), bare: port(bare) };
  }
  if (msg.type === 'retrain-start') {
    load = await startRetrainLoad(Number(msg.targets ?? 1));
    return { type: 'retrain-started', info: load.info };
  }
  if (msg.type === 'retrain-stop') {
    const stats = await load?.stop();
    load = undefined;
    return { type: 'retrain-stopped', stats };
  }
  if (msg.type === 'mem') return { type: 'mem', rss: process.memoryUsage().rss };
  return undefined;
});
process.send?.({ type: 'ready' });
