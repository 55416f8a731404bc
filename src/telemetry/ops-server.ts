import Fastify, { type FastifyInstance } from 'fastify';
import type { Registry } from 'prom-client';

export interface OpsServers {
  metrics: FastifyInstance;
  health: FastifyInstance;
}

/** Plain-HTTP servers for Prometheus (`/metrics`) and the kubelet's probes (`/healthz`, `/readyz`). */
export function createOpsServers(registry: Registry, isReady: () => { ready: boolean; reason?: string; checks?: unknown }): OpsServers {
  const metrics = Fastify({ logger: false });
  metrics.get('/metrics', async (_req, reply) => {
    void reply.header('content-type', registry.contentType);
    return registry.metrics();
  });
  const health = Fastify({ logger: false });
  health.get('/healthz', async () => ({ status: 'ok' }));
  health.get('/readyz', async (_req, reply) => {
    const r = isReady();
    return reply.code(r.ready ? 200 : 503).send({ status: r.ready ? 'ready' : 'not ready', ...(r.reason ? { reason: r.reason } : {}), ...(r.checks ? { checks: r.checks } : {}) });
  });
  return { metrics, health };
}
