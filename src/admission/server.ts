import Fastify, { LogController, type FastifyBaseLogger, type FastifyInstance } from 'fastify';
import { STATUS_CODES } from 'node:http';
import type { Server } from 'node:https';
import type { Config } from '../config/schema.js';
import type { Logger } from '../telemetry/logger.js';
import type { ProductMetrics } from '../telemetry/registry.js';
import { BodyError, parseJsonBody } from './body.js';
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
  /** Longest time to receive one whole request; default 10 s (the API server gives up after at most 30 s). */
  requestTimeoutMs?: number;
}

type Reviewer = (req: AdmissionRequest, config: Config, cluster: ClusterView) => AdmissionReviewOut;

/** The HTTPS admission server: POST /validate (Ingress) and POST /mutate (Deployment). */
export type AdmissionServer = FastifyInstance<Server>;

const problem = (status: number, message: string) => ({ error: STATUS_CODES[status] ?? 'Error', message });

function resultOf(out: AdmissionReviewOut): string {
  if (out.response.patch) return 'patched';
  if (out.response.allowed) return 'allowed';
  return out.response.status?.code === 500 ? 'error' : 'denied';
}

/** TLS 1.2 or newer only, on start and after every certificate reload. */
export const TLS_MIN_VERSION = 'TLSv1.2' as const;

/**
 * Serves `tls` to every new connection from now on, without a restart; connections
 * already open keep the certificate they were accepted with. Throws (without key
 * material in the message) when the pair is not usable, and then nothing changes.
 */
export function setServingCertificate(app: AdmissionServer, tls: { cert: string; key: string }): void {
  app.server.setSecureContext({ cert: tls.cert, key: tls.key, minVersion: TLS_MIN_VERSION });
}

export function createAdmissionServer(options: AdmissionServerOptions): AdmissionServer {
  const { log, metrics } = options;
  const timeout = options.requestTimeoutMs ?? 10_000;
  const app = Fastify({
    // Node checks request deadlines on an interval (30 s by default); check often so a
    // stalled client is cut off close to the deadline instead of holding a socket.
    https: { cert: options.tls.cert, key: options.tls.key, minVersion: TLS_MIN_VERSION, connectionsCheckingInterval: Math.min(1000, timeout), headersTimeout: timeout } as never,
    bodyLimit: MAX_BODY_BYTES,
    loggerInstance: log.child({ component: 'admission' }) as FastifyBaseLogger,
    // Per-review logging is our own (debug, with the uid); fastify's per-request lines would double it.
    logController: new LogController({ disableRequestLogging: true }),
    connectionTimeout: timeout,
    requestTimeout: timeout,
  });

  // JSON only (fastify would also take text/plain), through our own parser: the depth
  // limit and a reason for every refusal (see body.ts).
  app.removeAllContentTypeParsers();
  app.addHook('onRequest', async (request, reply) => {
    const type = request.headers['content-type'];
    if (request.method === 'POST' && !/^application\/json\s*(;|$)/i.test(type ?? '')) {
      return reply.code(415).send(problem(415, `${type ? `content type "${type}"` : 'a request without Content-Type'} is not supported; send Content-Type: application/json`));
    }
    // The API server never compresses reviews; a compressed body would only reach the JSON parser as bytes.
    const encoding = request.headers['content-encoding'];
    if (request.method === 'POST' && encoding !== undefined && encoding.toLowerCase() !== 'identity') {
      return reply.code(415).send(problem(415, `Content-Encoding "${encoding}" is not supported; send the AdmissionReview uncompressed`));
    }
    return undefined;
  });
  app.addContentTypeParser('application/json', { parseAs: 'string' }, (_request, body, done) => {
    try {
      done(null, parseJsonBody(body as string));
    } catch (err) {
      done(err as BodyError, undefined);
    }
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
        request.log.warn({ webhook, reason: message }, 'invalid admission review');
        return reply.code(400).send(problem(400, message));
      }
      let out: AdmissionReviewOut;
      try {
        out = reviewer(req, options.config(), options.cluster);
      } catch (err) {
        request.log.error({ err, uid: req.uid }, 'admission handler failed');
        out = errored(req.uid, 'HydraRoute could not evaluate this object; see the hydra-route-controller logs');
      }
      const result = resultOf(out);
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

  app.setErrorHandler((err: { statusCode?: number; message: string; code?: string }, request, reply) => {
    const status = err.statusCode && err.statusCode >= 400 && err.statusCode < 500 ? err.statusCode : 500;
    if (status === 500) log.error({ err }, 'admission server error');
    else request.log.warn({ status, reason: err.message, code: err.code }, 'admission request refused');
    void reply.code(status).send(problem(status, status === 500 ? 'internal error' : reasonFor(status, err.message)));
  });
  app.setNotFoundHandler((request, reply) => {
    void reply.code(404).send(problem(404, `no webhook at ${request.method} ${request.url}; use POST /validate or POST /mutate`));
  });
  return app;
}

/** Fastify's own texts, said in terms of what the caller should send instead. */
function reasonFor(status: number, message: string): string {
  if (status === 413) return `the body is larger than ${MAX_BODY_BYTES} bytes (the API server sends at most 3 MiB)`;
  if (status === 415) return `${message}; send Content-Type: application/json`;
  return message;
}
