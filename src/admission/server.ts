import Fastify, { type FastifyBaseLogger, type FastifyInstance } from 'fastify';
import type { Server } from 'node:https';
import type { Config } from '../config/schema.js';
import type { Logger } from '../telemetry/logger.js';
import type { ProductMetrics } from '../telemetry/registry.js';
import type { ClusterView } from './cluster-view.js';
import { reviewDeployment } from './mutate-deployment.js';
import { BadReviewError, errored, parseReview, type AdmissionRequest, type AdmissionReviewOut } from './review.js';
import { reviewIngress } from './validate-ingress.js';

/** The API server sends at most 3 MiB of request object; anything larger is not a review. */
export const MAX_BODY_BYTES = 3 * 1024 * 1024 + 64 * 1024;

export interface AdmissionServerOptions {
  tls: { cert: string; key: string };
  config: () => Config;
  cluster: ClusterView;
  log: Logger;
  metrics: ProductMetrics;
}

type Reviewer = (req: AdmissionRequest, config: Config, cluster: ClusterView) => AdmissionReviewOut;

/** The HTTPS admission server: POST /validate (Ingress) and POST /mutate (Deployment). */
export type AdmissionServer = FastifyInstance<Server>;

export function createAdmissionServer(options: AdmissionServerOptions): AdmissionServer {
  const { log, metrics } = options;
  const app = Fastify({
    https: { cert: options.tls.cert, key: options.tls.key, minVersion: 'TLSv1.2' },
    bodyLimit: MAX_BODY_BYTES,
    loggerInstance: log.child({ component: 'admission' }) as FastifyBaseLogger,
    disableRequestLogging: true,
    // A review answers in milliseconds; the API server's own timeout is a few seconds.
    connectionTimeout: 10_000,
    requestTimeout: 10_000,
  });

  const route = (path: string, webhook: string, reviewer: Reviewer) => {
    app.post(path, async (request, reply) => {
      const end = metrics.admissionDuration.startTimer({ webhook });
      let req: AdmissionRequest;
      try {
        req = parseReview(request.body);
      } catch (err) {
        metrics.admissionReviews.inc({ webhook, result: 'invalid' });
        end();
        const message = err instanceof BadReviewError ? err.message : 'unreadable AdmissionReview';
        return reply.code(400).send({ error: 'Bad Request', message });
      }
      let out: AdmissionReviewOut;
      try {
        out = reviewer(req, options.config(), options.cluster);
      } catch (err) {
        request.log.error({ err, uid: req.uid }, 'admission handler failed');
        out = errored(req.uid, 'HydraRoute could not evaluate this object; see the hydra-route-controller logs');
      }
      const result = out.response.patch ? 'patched' : out.response.allowed ? 'allowed' : out.response.status?.code === 500 ? 'error' : 'denied';
      metrics.admissionReviews.inc({ webhook, result });
      end();
      request.log.debug(
        { uid: req.uid, kind: req.kind.kind, namespace: req.namespace, name: req.name, operation: req.operation, dryRun: req.dryRun, result },
        'admission review',
      );
      return reply.send(out);
    });
  };
  route('/validate', 'validate', reviewIngress);
  route('/mutate', 'mutate', reviewDeployment);

  app.setErrorHandler((err: { statusCode?: number; message: string; code?: string }, _request, reply) => {
    const status = err.statusCode && err.statusCode >= 400 && err.statusCode < 500 ? err.statusCode : 500;
    if (status === 500) log.error({ err }, 'admission server error');
    void reply.code(status).send({ error: status === 500 ? 'Internal Server Error' : 'Bad Request', message: status === 500 ? 'internal error' : err.message });
  });
  app.setNotFoundHandler((request, reply) => {
    void reply.code(404).send({ error: 'Not Found', message: `no webhook at ${request.method} ${request.url}; use POST /validate or POST /mutate` });
  });
  return app;
}
