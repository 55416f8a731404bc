import { SIGNALS, type Signal } from '../../config/schema.js';
import type { Sample, TargetKey } from '../types.js';

const N = SIGNALS.length;
const MAX_REASONS = 255;
const REASON_LOST = 'missing (reason not kept: too many distinct reasons)';

/**
 * One target's samples in fixed-size typed arrays (a ring): memory is bounded by the
 * capacity whatever runs. Values are float32 (7 significant digits is plenty for a
 * scaler); a missing value is NaN plus an index into a small table of reason texts.
 */
export class SignalHistory {
  private readonly times: Float64Array;
  private readonly values: Float32Array;
  /**
   * Reason ids of missing values, allocated at the first missing value: a target whose signals
   * are all collected never pays its byte per value (about 20 KB at 24 h / 30 s).
   */
  private reasons: Uint8Array | undefined;
  private readonly replicas: Float32Array;
  private readonly reasonTable: string[] = [''];
  private readonly reasonIndex = new Map<string, number>();
  private head = 0;
  private count = 0;

  constructor(
    readonly capacity: number,
    readonly retentionMs: number,
  ) {
    this.times = new Float64Array(capacity);
    this.values = new Float32Array(capacity * N);
    this.replicas = new Float32Array(capacity);
  }

  get length(): number {
    return this.count;
  }

  /** Bytes held by the arrays (the reason table adds a few short strings). */
  get bytes(): number {
    return this.times.byteLength + this.values.byteLength + (this.reasons?.byteLength ?? 0) + this.replicas.byteLength;
  }

  /** Appends a sample newer than the last one; returns false for an older or equal time. */
  push(sample: Sample): boolean {
    const last = this.latestTime();
    if (last !== undefined && sample.t <= last) return false;
    const slot = this.head;
    this.times[slot] = sample.t;
    this.replicas[slot] = sample.replicas ?? NaN;
    SIGNALS.forEach((signal, i) => {
      const v = sample.values[signal];
      this.values[slot * N + i] = v ?? NaN;
      if (v === undefined) (this.reasons ??= new Uint8Array(this.capacity * N))[slot * N + i] = this.intern(sample.missing[signal] ?? 'not collected');
      else if (this.reasons) this.reasons[slot * N + i] = 0;
    });
    this.head = (this.head + 1) % this.capacity;
    this.count = Math.min(this.count + 1, this.capacity);
    return true;
  }

  /** Merges samples (e.g. a backfill) with what is held; on equal times the held one wins. */
  load(samples: Sample[]): number {
    const held = this.samples(-Infinity);
    const byTime = new Map<number, Sample>();
    for (const s of samples) byTime.set(s.t, s);
    for (const s of held) byTime.set(s.t, s);
    const merged = [...byTime.values()].sort((a, b) => a.t - b.t).slice(-this.capacity);
    this.head = 0;
    this.count = 0;
    merged.forEach((s) => this.push(s));
    return this.count - held.length;
  }

  latestTime(): number | undefined {
    return this.count === 0 ? undefined : this.times[(this.head - 1 + this.capacity) % this.capacity];
  }

  /** Samples within the retention period before the newest (or since `fromMs`), oldest first. */
  samples(fromMs?: number): Sample[] {
    const newest = this.latestTime();
    if (newest === undefined) return [];
    const from = fromMs ?? newest - this.retentionMs;
    const out: Sample[] = [];
    for (let k = 0; k < this.count; k++) {
      const slot = (this.head - this.count + k + this.capacity) % this.capacity;
      if ((this.times[slot] as number) >= from) out.push(this.read(slot));
    }
    return out;
  }

  private read(slot: number): Sample {
    const sample: Sample = { t: this.times[slot] as number, values: {}, missing: {} };
    const r = this.replicas[slot] as number;
    if (!Number.isNaN(r)) sample.replicas = r;
    SIGNALS.forEach((signal: Signal, i) => {
      const v = this.values[slot * N + i] as number;
      if (Number.isNaN(v)) sample.missing[signal] = this.reasonTable[this.reasons?.[slot * N + i] ?? -1] ?? REASON_LOST;
      else sample.values[signal] = v;
    });
    return sample;
  }

  private intern(reason: string): number {
    const known = this.reasonIndex.get(reason);
    if (known !== undefined) return known;
    if (this.reasonTable.length >= MAX_REASONS) return MAX_REASONS; // reads back as REASON_LOST
    this.reasonTable.push(reason);
    this.reasonIndex.set(reason, this.reasonTable.length - 1);
    return this.reasonTable.length - 1;
  }
}

/** Histories keyed by target; capacity from retention / collection interval with slack for jitter. */
export class HistoryStore {
  private readonly byTarget = new Map<TargetKey, SignalHistory>();
  readonly capacity: number;

  constructor(
    readonly retentionMs: number,
    intervalMs: number,
  ) {
    this.capacity = Math.ceil((retentionMs / intervalMs) * 1.1) + 1;
  }

  of(key: TargetKey): SignalHistory {
    let h = this.byTarget.get(key);
    if (!h) this.byTarget.set(key, (h = new SignalHistory(this.capacity, this.retentionMs)));
    return h;
  }

  has(key: TargetKey): boolean {
    return this.byTarget.has(key);
  }

  /** Forget a target that is no longer managed. */
  drop(key: TargetKey): void {
    this.byTarget.delete(key);
  }
}
