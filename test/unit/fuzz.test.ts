// Property-based fuzzing of the validating webhook's handler (fast-check). Bounded so
// the whole file runs in a few seconds; the seed is printed on failure by fast-check.
import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import fc from 'fast-check';
import { BadReviewError, parseReview, type AdmissionReviewOut } from '../../src/admission/review.js';
import { reviewIngress } from '../../src/admission/validate-ingress.js';
import { reviewDeployment } from '../../src/admission/mutate-deployment.js';
import { MODEL_TYPES } from '../../src/config/schema.js';
import { defaultConfig } from '../../src/config/load.js';
import { KNOWN_KEYS } from '../../src/annotations/catalogue.js';
import { cluster, deployment, ingress, ingressReview, service } from './admission-fixtures.js';

const config = defaultConfig();
const view = cluster({
  services: [service('web'), service('api')],
  deployments: [deployment('web'), deployment('api')],
  ingresses: [ingress('other', { 'hydra-route.ai/enabled': 'true', 'hydra-route.ai/target': 'api' }, { backends: ['api'], created: '2020-01-01T00:00:00Z' })],
});
const counts: Record<string, number> = {};
const count = (what: string) => void (counts[what] = (counts[what] ?? 0) + 1);

/** The answer must be a v1 AdmissionReview echoing the uid, with a status on every denial. */
function assertWellFormed(out: AdmissionReviewOut, uid: string): void {
  assert.equal(out.apiVersion, 'admission.k8s.io/v1');
  assert.equal(out.kind, 'AdmissionReview');
  assert.equal(out.response.uid, uid);
  assert.equal(typeof out.response.allowed, 'boolean');
  if (!out.response.allowed) {
    assert.equal(typeof out.response.status?.code, 'number');
    assert.ok((out.response.status?.message ?? '').length > 0);
  }
  for (const w of out.response.warnings ?? []) assert.ok(w.length <= 250 && !/[\n\r]/.test(w), w);
  JSON.stringify(out);
}

/** The server's route, without HTTP: a BadReviewError is a 400, anything else thrown is a bug. */
function handle(body: unknown, reviewer = reviewIngress): AdmissionReviewOut | 'bad-request' {
  let req;
  try {
    req = parseReview(body);
  } catch (err) {
    if (err instanceof BadReviewError) return 'bad-request';
    throw err;
  }
  const out = reviewer(req, config, view);
  assertWellFormed(out, req.uid);
  return out;
}

const validValue: Record<string, fc.Arbitrary<string>> = {
  'hydra-route.ai/model': fc.constantFrom(...MODEL_TYPES),
  'hydra-route.ai/scale-up-cooldown': fc.tuple(fc.integer({ min: 0, max: 1440 }), fc.constant('m')).map(([n, u]) => `${n}${u}`),
  'hydra-route.ai/scale-down-cooldown': fc.tuple(fc.integer({ min: 0, max: 86_400 }), fc.constant('s')).map(([n, u]) => `${n}${u}`),
  'hydra-route.ai/prediction-horizon': fc.integer({ min: 1, max: 24 }).map((n) => `${n}h`),
  'hydra-route.ai/confidence-threshold': fc.integer({ min: 0, max: 100 }).map((n) => String(n / 100)),
  'hydra-route.ai/dry-run': fc.constantFrom('true', 'false'),
  'hydra-route.ai/target': fc.constant('web'),
};

const validAnnotations = fc
  .tuple(fc.integer({ min: 1, max: 1000 }), fc.integer({ min: 0, max: 1000 }), fc.record(validValue, { requiredKeys: [] }), fc.constantFrom('true', 'false'))
  .map(([min, extra, rest, enabled]) => ({
    'hydra-route.ai/enabled': enabled,
    'hydra-route.ai/min-replicas': String(min),
    'hydra-route.ai/max-replicas': String(Math.min(1000, min + extra)),
    ...rest,
  }));

/** Keys that are ours, near ours, or anything at all. */
const anyKey = fc.oneof(
  fc.constantFrom(...KNOWN_KEYS),
  fc.constantFrom(...KNOWN_KEYS).chain((k) => fc.integer({ min: 0, max: k.length - 1 }).chain((i) => fc.string({ maxLength: 2 }).map((s) => k.slice(0, i) + s + k.slice(i + 1)))),
  fc.constantFrom(...KNOWN_KEYS).map((k) => k.toUpperCase().replace('HYDRA-ROUTE.AI', 'HydraRoute.io')),
  fc.string({ maxLength: 40 }),
  fc.string({ unit: 'grapheme', maxLength: 20 }).map((s) => `hydra-route.ai/${s}`),
);
const anyValue = fc.oneof(fc.string({ maxLength: 30 }), fc.string({ unit: 'binary', maxLength: 300 }), fc.constantFrom('', ' ', 'true', '0', '1e3', '1000000000000000000000', 'NaN', '-1', '5m', '0.5'));

describe('fuzz: the validating webhook handler', () => {
  test('generated valid Ingresses are never denied', () => {
    fc.assert(fc.property(validAnnotations, fc.constantFrom('nginx', ''), (annotations, cls) => {
      count('valid Ingresses');
      // `other` already holds api with the default bounds; web is free for any bounds.
      const object = ingress('web', annotations, { backends: ['web'], cls });
      const out = handle(ingressReview({}, { object }));
      assert.ok(out !== 'bad-request' && out.response.allowed, out === 'bad-request' ? out : out.response.status?.message);
    }), { numRuns: 4000 });
  });

  test('arbitrary annotation keys and values: never throws, always well-formed', () => {
    fc.assert(fc.property(fc.dictionary(anyKey, anyValue, { maxKeys: 12 }), fc.constantFrom('CREATE', 'UPDATE'), (annotations, operation) => {
      count('annotation sets');
      const object = ingress('web', annotations);
      const out = handle(ingressReview({}, { object, operation, oldObject: operation === 'UPDATE' ? ingress('web', {}) : undefined }));
      assert.notEqual(out, 'bad-request');
    }), { numRuns: 4000 });
  });

  test('mutated AdmissionReviews: a 400 or a well-formed answer, from both webhooks', () => {
    const base = ingressReview({ 'hydra-route.ai/enabled': 'true' });
    const paths: string[][] = [
      [], ['request'], ['request', 'uid'], ['request', 'kind'], ['request', 'kind', 'kind'], ['request', 'operation'], ['request', 'object'],
      ['request', 'object', 'metadata'], ['request', 'object', 'metadata', 'annotations'], ['request', 'object', 'spec'],
      ['request', 'object', 'spec', 'rules'], ['request', 'object', 'spec', 'rules', '0'], ['request', 'object', 'spec', 'rules', '0', 'http', 'paths'],
      ['request', 'oldObject'], ['request', 'namespace'], ['apiVersion'], ['kind'],
    ];
    const mutation = fc.tuple(fc.constantFrom(...paths), fc.oneof(fc.anything({ maxDepth: 3 }), fc.constant(undefined)));
    fc.assert(fc.property(fc.array(mutation, { minLength: 1, maxLength: 4 }), fc.boolean(), (mutations, mutate) => {
      count('mutated reviews');
      const body = structuredClone(base) as Record<string, unknown>;
      for (const [path, value] of mutations) setPath(body, path, value);
      const out = handle(body, mutate ? reviewDeployment : reviewIngress);
      if (out === 'bad-request') count('answered 400');
    }), { numRuns: 3000 });
  });

  test('prints the counts', (t) => {
    const total = Object.values(counts).reduce((a, b) => a + b, 0) - (counts['answered 400'] ?? 0);
    const line = `fuzz: ${total} cases (${Object.entries(counts).map(([k, v]) => `${v} ${k}`).join(', ')})`;
    t.diagnostic(line);
    console.log(line);
    assert.ok(total >= 10_000, line);
  });
});

function setPath(root: Record<string, unknown>, path: string[], value: unknown): void {
  if (path.length === 0) return void Object.keys(root).forEach((k) => delete root[k]);
  let at: unknown = root;
  for (const key of path.slice(0, -1)) {
    if (typeof at !== 'object' || at === null) return;
    at = (at as Record<string, unknown>)[key];
  }
  if (typeof at === 'object' && at !== null) (at as Record<string, unknown>)[path[path.length - 1] as string] = value;
}
