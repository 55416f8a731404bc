import type { V1Deployment } from '@kubernetes/client-node';
import { INGRESS_ANNOTATION, LAST_DECISION_ANNOTATION, MANAGED_LABEL, settingsFromStamps } from '../annotations/stamps.js';
import type { TargetSettings } from '../annotations/catalogue.js';
import type { Config } from '../config/schema.js';
import type { ClusterCache } from '../kube/cluster-cache.js';
import type { Logger } from '../telemetry/logger.js';
import type { ProductMetrics } from '../telemetry/registry.js';
import { isWatchedNamespace, refOf, scalingIngress } from '../stamping/resolve.js';
import { Actuator, eventMessage, parseLastDecision, type LastDecision } from './actuate/actuator.js';
import type { CollectTarget, MetricsCollector } from './collect/index.js';
import { decide } from './decide/decide.js';
import { parseQuantity } from './collect/quantity.js';
import { RecommendationWindow, } from './decide/stabilization.js';
import { DEFAULT_STABILIZATION_MS } from './decide/decide.js';
import { Predictor } from './predict/predictor.js';
import type { WorkerTrainer } from './predict/worker-trainer.js';
import type { Decision, Sample, TargetKey } from './types.js';

/** Per-target memory of the loop; keyed by namespace/name so targets can later be sharded. */
interface TargetState {
  backfilled: boolean;
  predictor?: Predictor;
  /**
   * What the predictor was built from. The configuration object is replaced whole on a
   * reload, so comparing it by identity is the per-cycle check; only after a reload are the
   * model settings compared by value (a threshold edit keeps the trained models).
   */
  predictorFor?: { config: Config; model: string; horizonMs: number; signature: string };
  training: boolean;
  recommendations: RecommendationWindow;
  /** The newest sample and when it and the last decision were made (collection and evaluation run on their own intervals). */
  latest?: Sample;
  collectedAt?: number;
  decidedAt?: number;
}

/** CPU (cores) and memory (bytes) one pod of the Deployment requests, summed over its containers. */
function podRequestsOf(d: V1Deployment): { cpu: number; memory: number } {
  let cpu = 0;
  let memory = 0;
  for (const c of d.spec?.template?.spec?.containers ?? []) {
    cpu += parseQuantity(c.resources?.requests?.cpu ?? '0') || 0;
    memory += parseQuantity(c.resources?.requests?.memory ?? '0') || 0;
  }
  return { cpu, memory };
}

/** An interval counts as elapsed a little early, so that timer jitter never skips a whole tick. */
const due = (last: number | undefined, now: number, intervalMs: number) => last === undefined || now - last >= intervalMs * 0.9;

export interface ScalerOptions {
  cache: ClusterCache;
  collector: MetricsCollector;
  /** Full retrains run here, off the event loop. */
  trainer: WorkerTrainer;
  actuator: Actuator;
  config: () => Config;
  log: Logger;
  metrics: ProductMetrics;
  now?: () => number;
}

interface Target extends CollectTarget {
  key: TargetKey;
  replicas: number;
  uid?: string;
  settings: TargetSettings;
  last?: LastDecision;
}

/** The leader-only loop: collect → predict → decide → actuate, every evaluation interval. */
export class Scaler {
  private readonly states = new Map<TargetKey, TargetState>();
  private timer: NodeJS.Timeout | undefined;
  private active = false;
  private cycle: Promise<void> = Promise.resolve();
  private tick = 0;
  private readonly now: () => number;

  constructor(private readonly o: ScalerOptions) {
    this.now = o.now ?? Date.now;
  }

  /** Starts acting (called when this replica becomes leader). */
  start(): void {
    if (this.active) return;
    this.active = true;
    this.schedule(0);
  }

  /** Stops acting; resolves when the cycle in flight has finished. */
  async stop(): Promise<void> {
    this.active = false;
    if (this.timer) clearTimeout(this.timer);
    await this.cycle;
  }

  private schedule(delay: number): void {
    if (!this.active) return;
    this.timer = setTimeout(() => {
      const c = this.o.config();
      this.cycle = this.runCycle().finally(() => this.schedule(Math.min(c.scaling.evaluation_interval, c.metrics.collection_interval)));
    }, delay);
  }

  /** Managed Deployments with readable stamps and an Ingress still in the cache. */
  targets(): Target[] {
    const config = this.o.config();
    return this.o.cache.deployments
      .list()
      .filter((d) => d.metadata?.labels?.[MANAGED_LABEL] === 'true' && isWatchedNamespace(config, d.metadata?.namespace))
      .flatMap((d) => this.toTarget(d, config));
  }

  private toTarget(d: V1Deployment, config: Config): Target[] {
    const settings = settingsFromStamps(d.metadata?.annotations);
    const ingressRef = d.metadata?.annotations?.[INGRESS_ANNOTATION];
    if (!settings || !ingressRef || d.spec?.paused) return [];
    const [ns, ingressName] = ingressRef.split('/');
    const ingress = this.o.cache.ingresses.get(ingressName ?? '', ns);
    const scaling = ingress ? scalingIngress(ingress, config) : undefined;
    if (!scaling) return [];
    return [{
      key: refOf(d),
      namespace: d.metadata?.namespace as string,
      deployment: d.metadata?.name as string,
      uid: d.metadata?.uid,
      service: scaling.service,
      ingress: ingressName as string,
      replicas: d.spec?.replicas ?? 1,
      podRequests: podRequestsOf(d),
      settings,
      last: parseLastDecision(d.metadata?.annotations?.[LAST_DECISION_ANNOTATION]),
    }];
  }

  async runCycle(): Promise<void> {
    const end = this.o.metrics.scalerCycleDuration.startTimer();
    this.tick += 1;
    const targets = this.targets();
    for (const t of targets) {
      try {
        await this.runTarget(t);
      } catch (err) {
        this.o.log.error({ err, target: t.key, tick: this.tick }, 'scaling a target failed');
      }
    }
    const live = new Set(targets.map((t) => t.key));
    for (const key of this.states.keys()) {
      if (live.has(key)) continue;
      this.states.delete(key);
      const [namespace = '', deployment = ''] = key.split('/');
      this.o.collector.forget({ namespace, deployment, service: '', ingress: '' });
    }
    end();
  }

  private state(key: TargetKey): TargetState {
    let s = this.states.get(key);
    if (!s) this.states.set(key, (s = { backfilled: false, training: false, recommendations: new RecommendationWindow(DEFAULT_STABILIZATION_MS) }));
    return s;
  }

  private async runTarget(t: Target): Promise<void> {
    const config = this.o.config();
    const now = this.now();
    const hpa = this.o.cache.hpaFor(t.namespace, t.deployment);
    if (hpa) {
      // Two controllers setting one replica count fight; the HPA was there first or was chosen explicitly.
      const message = `Not scaling: HorizontalPodAutoscaler ${t.namespace}/${hpa.metadata?.name} also targets this Deployment; remove it or set hydra-route.ai/enabled: "false" on Ingress ${t.namespace}/${t.ingress}`;
      this.o.metrics.scalingDecisions.inc({ service: t.service, namespace: t.namespace, action: 'skipped_hpa' });
      await this.o.actuator.recordEvent(t.namespace, t.deployment, t.uid, message, 'Warning', 'ScalingSkipped');
      return;
    }
    const state = this.state(t.key);
    if (!state.backfilled) {
      // A restart loses no history: the model starts warm from Prometheus' range queries.
      state.backfilled = true;
      const window = Math.min(config.metrics.retention_period, config.scaling.ai_model.historical_window);
      await this.o.collector.backfill(t, now - window, now - 1, config.metrics.collection_interval).catch((err: unknown) =>
        this.o.log.warn({ err, target: t.key }, 'history backfill failed; starting cold'),
      );
    }
    const predictor = this.predictorOf(t, state, config, now);
    if (!state.latest || due(state.collectedAt, now, config.metrics.collection_interval)) {
      state.latest = await this.o.collector.collect(t, now);
      state.collectedAt = now;
      predictor.observe(state.latest);
      this.retrainIfDue(t, state, predictor, now);
    }
    if (!due(state.decidedAt, now, config.scaling.evaluation_interval)) return;
    state.decidedAt = now;
    const sample = state.latest;
    const result = predictor.forecast();
    const forecast = 'unavailable' in result ? undefined : result;
    this.o.metrics.modelConfidence.set({ service: t.service, namespace: t.namespace, model_type: t.settings.model }, predictor.confidence());
    const decision = decide({
      now,
      currentReplicas: t.replicas,
      settings: { ...t.settings, dryRun: t.settings.dryRun || config.general.dry_run },
      scaling: config.scaling,
      sample,
      forecast,
      lastScaleUpAt: t.last?.lastScaleUp ? Date.parse(t.last.lastScaleUp) : undefined,
      lastScaleDownAt: t.last?.lastScaleDown ? Date.parse(t.last.lastScaleDown) : undefined,
      forecastNote: 'unavailable' in result ? result.unavailable : undefined,
      recentRecommendations: state.recommendations.recent(),
    });
    state.recommendations.add(now, decision.recommendation);
    const action = decision.action === 'none' ? 'none' : decision.dryRun ? `dry_run_${decision.action}` : decision.action;
    this.o.metrics.scalingDecisions.inc({ service: t.service, namespace: t.namespace, action });
    this.o.log.debug({ target: t.key, tick: this.tick, sample: sample.values, missing: sample.missing, decision }, 'decision');
    if (decision.action !== 'none') await this.act(t, decision, now);
  }

  /** The target's predictor, (re)built from the collected history when its settings change. */
  private predictorOf(t: Target, state: TargetState, config: Config, now: number): Predictor {
    const m = config.scaling.ai_model;
    // The configuration keys a Predictor is built from (thresholds and cooldowns are not among them).
    const signature = () => JSON.stringify([m.historical_window, m.retrain_interval, m.enable_online_learning, m.learning_rate,
      config.scaling.prediction.enable_seasonality_detection, config.metrics.collection_interval, config.metrics.request_rate_window]);
    const built = state.predictorFor;
    const stampsSame = built?.model === t.settings.model && built.horizonMs === t.settings.predictionHorizonMs;
    if (state.predictor && built && stampsSame && (built.config === config || built.signature === signature())) {
      built.config = config;
      return state.predictor;
    }
    const predictor = new Predictor(t.key, {
      model: t.settings.model,
      horizonMs: t.settings.predictionHorizonMs,
      windowMs: m.historical_window,
      retrainIntervalMs: m.retrain_interval,
      stepMs: config.metrics.collection_interval,
      seasonality: config.scaling.prediction.enable_seasonality_detection,
      onlineLearning: m.enable_online_learning,
      neural: { learningRate: m.learning_rate },
      scoreWindowMs: config.metrics.request_rate_window,
    });
    // Warm from what the collector already holds (backfilled from Prometheus on start).
    for (const past of this.o.collector.history(t).samples(now - m.historical_window).slice(0, -1)) predictor.observe(past);
    state.predictor = predictor;
    state.predictorFor = { config, model: t.settings.model, horizonMs: t.settings.predictionHorizonMs, signature: signature() };
    return predictor;
  }

  /** Starts a full retrain on the worker thread when one is due; the cycle does not wait for it. */
  private retrainIfDue(t: Target, state: TargetState, predictor: Predictor, now: number): void {
    if (state.training || !predictor.needsRetrain(now)) return;
    const job = predictor.trainingJob();
    if (!job) return;
    state.training = true;
    this.o.trainer
      .train(job)
      .then((trained) => {
        predictor.applyTrained(trained, this.now());
        this.o.log.info({ target: t.key, model: t.settings.model, trainMs: trained.ms, samples: predictor.samples }, 'model retrained');
      })
      .catch((err: unknown) => this.o.log.warn({ err, target: t.key }, 'model retrain failed; keeping the previous model'))
      .finally(() => (state.training = false));
  }

  private async act(t: Target, d: Decision, now: number): Promise<void> {
    const log = this.o.log.child({ target: t.key, tick: this.tick });
    let applied = false;
    if (!d.dryRun) {
      const result = await this.o.actuator.scale(t.namespace, t.deployment, d);
      if (result.changedBy !== undefined) {
        log.info({ replicas: result.changedBy }, 'replicas changed by someone else; deciding again next cycle');
        return;
      }
      applied = result.applied;
      if (!applied) return;
      this.o.metrics.scaleUpdates.inc({ action: d.action });
    }
    const stamp = new Date(now).toISOString();
    const last: LastDecision = {
      time: stamp, from: d.from, to: d.to, action: d.action, reason: d.reason, confidence: d.confidence, dryRun: d.dryRun,
      lastScaleUp: applied && d.action === 'scale_up' ? stamp : t.last?.lastScaleUp,
      lastScaleDown: applied && d.action === 'scale_down' ? stamp : t.last?.lastScaleDown,
    };
    await this.o.actuator.recordLastDecision(t.namespace, t.deployment, last);
    const similar = `${d.action} ${d.from}->${d.to}${d.dryRun ? ' dry-run' : ''}`;
    await this.o.actuator.recordEvent(t.namespace, t.deployment, t.uid, eventMessage(d), 'Normal', 'ScalingDecision', similar);
    log.info({ from: d.from, to: d.to, dryRun: d.dryRun, reason: d.reason }, applied ? 'scaled' : 'dry-run decision');
  }
}
