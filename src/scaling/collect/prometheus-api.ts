import { CollectFailure, toFailure } from './failure.js';

export type FetchLike = (input: string, init?: RequestInit) => Promise<Response>;

export interface VectorPoint {
  labels: Record<string, string>;
  /** Prometheus' own value: NaN and ±Inf kept, so the caller can say which it was. */
  value: number;
}

export interface MatrixSeries {
  labels: Record<string, string>;
  /** [ms since epoch, value] in time order. */
  points: Array<[number, number]>;
}

export interface PrometheusApiOptions {
  baseUrl: string;
  timeoutMs: number;
  fetch?: FetchLike;
}

/** Prometheus' text for numbers: "NaN", "+Inf", "-Inf", or a float. */
export function promNumber(text: unknown): number {
  if (text === '+Inf') return Infinity;
  if (text === '-Inf') return -Infinity;
  if (typeof text !== 'string') throw new CollectFailure('bad_response', `sample value ${JSON.stringify(text)} is not a string`);
  return Number(text);
}

interface ApiBody {
  status?: string;
  errorType?: string;
  error?: string;
  warnings?: string[];
  data?: { resultType?: string; result?: unknown };
}

/** A small client for the two endpoints the collector needs (HTTP API v1). */
export class PrometheusApi {
  private readonly fetchImpl: FetchLike;

  constructor(private readonly options: PrometheusApiOptions) {
    this.fetchImpl = options.fetch ?? ((input, init) => fetch(input, init));
  }

  async instant(query: string, timeMs: number): Promise<VectorPoint[]> {
    const result = await this.call('query', { query, time: (timeMs / 1000).toFixed(3) }, 'vector');
    return (result as Array<{ metric?: Record<string, string>; value?: [number, string] }>).map((r) => ({
      labels: r.metric ?? {},
      value: promNumber(r.value?.[1]),
    }));
  }

  async range(query: string, startMs: number, endMs: number, stepMs: number): Promise<MatrixSeries[]> {
    const params = {
      query,
      start: (startMs / 1000).toFixed(3),
      end: (endMs / 1000).toFixed(3),
      step: (stepMs / 1000).toFixed(3),
    };
    const result = await this.call('query_range', params, 'matrix');
    return (result as Array<{ metric?: Record<string, string>; values?: Array<[number, string]> }>).map((r) => ({
      labels: r.metric ?? {},
      points: (r.values ?? []).map(([t, v]) => [Math.round(t * 1000), promNumber(v)] as [number, number]),
    }));
  }

  private async call(endpoint: string, params: Record<string, string>, resultType: string): Promise<unknown[]> {
    const url = `${this.options.baseUrl.replace(/\/+$/, '')}/api/v1/${endpoint}`;
    // The server-side timeout lets Prometheus give up too instead of computing for nobody.
    const body = new URLSearchParams({ ...params, timeout: `${this.options.timeoutMs}ms` });
    let status: number;
    let text: string;
    try {
      const res = await this.fetchImpl(url, {
        method: 'POST',
        headers: { 'content-type': 'application/x-www-form-urlencoded', accept: 'application/json' },
        body: body.toString(),
        signal: AbortSignal.timeout(this.options.timeoutMs),
      });
      status = res.status;
      text = await res.text();
    } catch (err) {
      throw toFailure(err);
    }
    return checkBody(status, text, resultType);
  }
}

function checkBody(status: number, text: string, resultType: string): unknown[] {
  let parsed: ApiBody | undefined;
  try {
    parsed = JSON.parse(text) as ApiBody;
  } catch {
    parsed = undefined;
  }
  const said = parsed?.error ? `${parsed.errorType ?? 'error'}: ${parsed.error}` : text.slice(0, 200);
  if (status >= 500) throw new CollectFailure('http_5xx', `HTTP ${status}: ${said}`);
  if (parsed?.status === 'error') throw new CollectFailure('query_error', `HTTP ${status}: ${said}`);
  if (status >= 400) throw new CollectFailure('http_4xx', `HTTP ${status}: ${said}`);
  if (!parsed || parsed.status !== 'success') throw new CollectFailure('bad_response', `not a Prometheus API answer: ${text.slice(0, 120)}`);
  if (parsed.warnings && parsed.warnings.length > 0) throw new CollectFailure('partial', parsed.warnings.join('; '));
  const data = parsed.data;
  if (data?.resultType !== resultType || !Array.isArray(data.result)) {
    throw new CollectFailure('bad_response', `expected a ${resultType}, got ${data?.resultType ?? 'no data'}`);
  }
  return data.result;
}
