import { hostname } from 'node:os';
import { createAdmissionServer, setServingCertificate } from '../admission/server.js';
import type { ClusterView } from '../admission/cluster-view.js';
import { loadConfigFile, defaultConfig } from '../config/load.js';
import { ConfigWatcher } from '../config/watch.js';
import { HealthChecker } from '../telemetry/health.js';
import { SIGNALS, type Config } from '../config/schema.js';
import { createKubeClients } from '../kube/client.js';
import { ClusterCache } from '../kube/cluster-cache.js';
import { LeaderElector } from '../kube/leader.js';
import { Actuator } from '../scaling/actuate/actuator.js';
import { KubePodMetricsReader, MetricsCollector, settingsFromConfig as collectorSettings } from '../scaling/collect/index.js';
import { Scaler } from '../scaling/loop.js';
import { WorkerTrainer } from '../scaling/predict/worker-trainer.js';
import { StampReconciler } from '../stamping/reconciler.js';
import { createLogger } from '../telemetry/logger.js';
import { createOpsServers } from '../telemetry/ops-server.js';
import { createProductMetrics } from '../telemetry/registry.js';
import { startServingTls, TLS_DEFAULTS, type TlsSettings } from '../tls/serving-tls.js';

export interface ServeOptions {
  configPath?: string;
  dryRun?: boolean;
  kubeconfig?: string;
  tlsCertFile?: string;
  tlsKeyFile?: string;
  /** Self-managed TLS (used when no certificate files are given). */
  tlsService: string;
  tlsSans: string[];
  certValidityMs: number;
  certRenewBeforeMs: number;
  tlsActivationDelayMs: number;
  tlsSyncIntervalMs: number;
  webhookPort: number;
  metricsPort: number;
  healthPort: number;
  bindAddress: string;
  namespace: string;
  identity: string;
  /** The Lease the scaler replicas elect a leader with. */
  leaseName: string;
}

export function serveDefaults(env = process.env): ServeOptions {
  return {
    webhookPort: 8443,
    metricsPort: 8080,
    healthPort: 8081,
    bindAddress: '0.0.0.0',
    namespace: env.POD_NAMESPACE ?? 'hydra-route-system',
    identity: env.POD_NAME ?? `${hostname()}-${process.pid}`,
    leaseName: 'hydra-route-leader',
    tlsService: TLS_DEFAULTS.service,
    tlsSans: [],
    certValidityMs: TLS_DEFAULTS.validityMs,
    certRenewBeforeMs: TLS_DEFAULTS.renewBeforeMs,
    tlsActivationDelayMs: TLS_DEFAULTS.activationDelayMs,
    tlsSyncIntervalMs: TLS_DEFAULTS.syncIntervalMs,
  };
}

function tlsSettings(o: ServeOptions): TlsSettings {
  return {
    certFile: o.tlsCertFile, keyFile: o.tlsKeyFile, service: o.tlsService, extraSans: o.tlsSans,
    validityMs: o.certValidityMs, renewBeforeMs: o.certRenewBeforeMs,
    activationDelayMs: o.tlsActivationDelayMs, syncIntervalMs: o.tlsSyncIntervalMs,
  };
}

/** `hydra-route serve`: webhook, reconciler and (while leader) the scaler in one process. */
export async function serve(o: ServeOptions): Promise<void> {
  // Flags override the file (--dry-run), on start and on every reload.
  const withFlags = (c: Config): Config => (o.dryRun === undefined ? c : { ...c, general: { ...c.general, dry_run: o.dryRun } });
  let config = withFlags(o.configPath ? loadConfigFile(o.configPath) : defaultConfig());
  const log = createLogger(config.general.log_level);
  const metrics = createProductMetrics();
  const publishWeights = () => {
    for (const s of SIGNALS) metrics.featureWeight.set({ feature_name: s }, config.scaling.ai_model.feature_weights[s]);
  };
  publishWeights();
  const getConfig = () => config;

  const kube = createKubeClients(o.kubeconfig);
  const cache = new ClusterCache(kube, log);
  const view: ClusterView = {
    ingresses: (ns) => cache.ingresses.list(ns),
    services: (ns) => cache.services.list(ns),
    deployments: (ns) => cache.deployments.list(ns),
  };
  const tls = await startServingTls(tlsSettings(o), o.namespace, kube, log.child({ component: 'tls' }));
  const admission = createAdmissionServer({ tls: tls.pair, config: getConfig, cluster: view, log, metrics });
  tls.onChange((pair) => {
    try {
      setServingCertificate(admission, pair);
    } catch (err) {
      log.error({ err }, 'could not load the new webhook certificate; serving the previous one');
    }
  });

  let synced = false;
  const health = new HealthChecker(kube.kc, getConfig, log.child({ component: 'health' }));
  const ops = createOpsServers(metrics.registry, () =>
    synced ? health.report() : { ready: false, reason: 'watch caches not synced yet' },
  );
  await ops.health.listen({ port: o.healthPort, host: o.bindAddress });
  await ops.metrics.listen({ port: o.metricsPort, host: o.bindAddress });

  await cache.start();
  await admission.listen({ port: o.webhookPort, host: o.bindAddress });
  // Ready only once the webhook answers, so that nothing is routed to a port still closed.
  synced = true;
  log.info({ webhookPort: o.webhookPort, metricsPort: o.metricsPort, healthPort: o.healthPort, dryRun: config.general.dry_run }, 'serving');

  const reconciler = new StampReconciler(cache, getConfig, log.child({ component: 'reconciler' }), metrics);
  reconciler.resyncAll();
  health.start();

  const collector = new MetricsCollector(collectorSettings(config, config.metrics.queries), {
    logger: log, registry: metrics.registry, podMetrics: new KubePodMetricsReader(kube.kc),
  });
  const trainer = new WorkerTrainer();
  const actuator = new Actuator(kube, o.identity);
  const scaler = new Scaler({
    cache, collector, trainer, actuator, config: getConfig, log: log.child({ component: 'scaler' }), metrics,
  });
  const le = config.general.leader_election;
  const elector = new LeaderElector(kube, {
    namespace: o.namespace, name: o.leaseName, identity: o.identity,
    leaseDurationMs: le.lease_duration, renewDeadlineMs: le.renew_deadline, retryPeriodMs: le.retry_period,
    onStartedLeading: () => { metrics.isLeader.set(1); scaler.start(); },
    onStoppedLeading: () => { metrics.isLeader.set(0); void scaler.stop(); },
  }, log.child({ component: 'leader' }));
  if (le.enabled) elector.start();
  else scaler.start();

  const watcher = o.configPath
    ? new ConfigWatcher({
        path: o.configPath,
        intervalMs: 1000,
        onChange: (next) => {
          config = withFlags(next);
          log.level = config.general.log_level;
          publishWeights();
          reconciler.resyncAll(); // bounds, class and namespaces may have changed the stamps
          log.info({ path: o.configPath }, 'configuration reloaded; new values apply from the next cycle');
        },
        onRejected: (err) => {
          log.error({ path: o.configPath, problems: err.problems }, 'configuration change refused; the running configuration stays in force');
          const message = `Configuration change in ${o.configPath} refused, previous configuration kept: ${err.problems.join('; ')}`;
          actuator
            .recordEvent(o.namespace, 'hydra-route-controller', undefined, message.slice(0, 1000), 'Warning', 'ConfigRejected')
            .catch((e: unknown) => log.warn({ err: e }, 'could not record the ConfigRejected event'));
        },
      })
    : undefined;
  await watcher?.start();

  const shutdown = async (signal: string) => {
    log.info({ signal }, 'shutting down: finishing in-flight reviews, releasing the lease');
    watcher?.stop();
    health.stop();
    tls.stop();
    await admission.close();
    await scaler.stop();
    await trainer.close();
    await elector.release();
    await reconciler.stop();
    await cache.stop();
    await ops.metrics.close();
    await ops.health.close();
    log.flush();
    process.exit(0);
  };
  process.once('SIGTERM', () => void shutdown('SIGTERM'));
  process.once('SIGINT', () => void shutdown('SIGINT'));
}
