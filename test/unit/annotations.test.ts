import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { formatDenial, formatProblem, showValue, validateAnnotations } from '../../src/annotations/validate.js';
import { defaultConfig } from '../../src/config/load.js';

const config = defaultConfig();
const lines = (annotations: Record<string, unknown>) => validateAnnotations(annotations, config).problems.map(formatProblem);
const one = (annotations: Record<string, unknown>) => {
  const found = lines(annotations);
  assert.equal(found.length, 1, found.join('\n'));
  return found[0] as string;
};

describe('annotation values', () => {
  test('valid values merge over the configuration', () => {
    const v = validateAnnotations({
      'hydra-route.ai/enabled': 'true', 'hydra-route.ai/min-replicas': '2', 'hydra-route.ai/max-replicas': '9',
      'hydra-route.ai/model': 'linear', 'hydra-route.ai/scale-up-cooldown': '90s', 'hydra-route.ai/prediction-horizon': '1h',
      'hydra-route.ai/confidence-threshold': '0.5', 'hydra-route.ai/dry-run': 'true', 'hydra-route.ai/target': 'web',
    }, config);
    assert.deepEqual(v.problems, []);
    assert.equal(v.enabled, true);
    assert.equal(v.target, 'web');
    assert.deepEqual(v.settings, {
      minReplicas: 2, maxReplicas: 9, model: 'linear', scaleUpCooldownMs: 90_000, scaleDownCooldownMs: 300_000,
      predictionHorizonMs: 3_600_000, confidenceThreshold: 0.5, dryRun: true,
    });
  });

  const cases: [string, string, RegExp][] = [
    ['enabled', 'True', /enabled="True": must be "true" or "false".*; did you mean "true"\?/],
    ['enabled', 'yes', /did you mean "true"\?/],
    ['dry-run', 'off', /did you mean "false"\?/],
    ['min-replicas', 'abc', /min-replicas="abc": must be a whole number from 1 to 1000/],
    ['min-replicas', '0', /min-replicas="0": must be from 1 to 1000$/],
    ['max-replicas', '1001', /must be from 1 to 1000/],
    ['max-replicas', '3.0', /did you mean "3"\?/],
    ['max-replicas', '-2', /must be a whole number/],
    ['model', 'Neural-Network', /model="Neural-Network": must be one of linear, neural_network, ensemble; did you mean "neural_network"\?/],
    ['model', 'lstm', /must be one of linear, neural_network, ensemble$/],
    ['scale-up-cooldown', '300', /must be a duration such as "90s".*; did you mean "300s"\?/],
    ['scale-down-cooldown', '5 Minutes', /did you mean "5m"\?/],
    ['scale-down-cooldown', '25h', /must be from 0s to 24h/],
    ['prediction-horizon', '500ms', /must be from 1s to 24h/],
    ['confidence-threshold', '80%', /must be a number from 0 to 1.*did you mean "0.8"\?/],
    ['confidence-threshold', '1.5', /must be a number from 0 to 1/],
    ['target', 'Web_API', /target="Web_API": must be a Service name.*did you mean "web-api"\?/],
  ];
  for (const [key, value, expected] of cases) {
    test(`${key}=${JSON.stringify(value)}`, () => {
      assert.match(one({ [`hydra-route.ai/${key}`]: value }), expected);
    });
  }

  test('min above max names both and where max came from', () => {
    assert.match(one({ 'hydra-route.ai/min-replicas': '5', 'hydra-route.ai/max-replicas': '3' }), /min-replicas="5": must not exceed max-replicas \(3\); make min-replicas less/);
    assert.match(one({ 'hydra-route.ai/min-replicas': '50' }), /must not exceed max-replicas \(20, from the global scaling\.max_replicas\); also set hydra-route\.ai\/max-replicas to at least 50/);
  });

  test('a broken bound is reported once, not twice', () => {
    assert.equal(lines({ 'hydra-route.ai/min-replicas': '50', 'hydra-route.ai/max-replicas': 'x' }).length, 1);
  });

  test('a non-string value (unquoted YAML) says to quote it', () => {
    assert.match(one({ 'hydra-route.ai/min-replicas': 2 }), /must be a string.*quote it in YAML: hydra-route\.ai\/min-replicas: "2"/);
  });

  test('all problems come together', () => {
    assert.equal(lines({ 'hydra-route.ai/enabled': 'maybe', 'hydra-route.ai/model': 'x', 'hydra-route.io/target': 'web' }).length, 3);
  });
});

describe('annotation keys', () => {
  const cases: [string, RegExp][] = [
    ['hydra-route.ai/min-replica', /is not a known HydraRoute annotation; did you mean "hydra-route\.ai\/min-replicas"\?/],
    ['hydra-route.ai/Min-Replicas', /did you mean "hydra-route\.ai\/min-replicas"\?/],
    ['hydra-route.ai/min_replicas', /did you mean "hydra-route\.ai\/min-replicas"\?/],
    ['hydra-route.io/enabled', /the prefix is "hydra-route\.io\/", not "hydra-route\.ai\/"; did you mean "hydra-route\.ai\/enabled"\?/],
    ['hydraroute.ai/max-replicas', /did you mean "hydra-route\.ai\/max-replicas"\?/],
    ['hydra.ai/dry-run', /prefix is "hydra.ai\/", not "hydra-route.ai\/"; did you mean "hydra-route\.ai\/dry-run"\?/],
    ['hydra/min-replicas', /did you mean "hydra-route\.ai\/min-replicas"\?/],
    ['Hydra-Route.ai/enabled', /did you mean "hydra-route\.ai\/enabled"\?/],
    ['HYDRA-ROUTE.AI/MODEL', /did you mean "hydra-route\.ai\/model"\?/],
    ['hyrda-route.ai/target', /did you mean "hydra-route\.ai\/target"\?/],
    ['hydra-route.ai.min-replicas', /did you mean "hydra-route\.ai\/min-replicas"\?/],
    ['hydra-route.ai/colour', /the known annotations are hydra-route\.ai\/enabled, hydra-route\.ai\/target/],
    ['hydra-route.ai/managed', /is written by HydraRoute on the Deployment .*; remove it from the Ingress/],
  ];
  for (const [key, expected] of cases) {
    test(key, () => assert.match(one({ [key]: 'true' }), expected));
  }

  test('keys of other tools are left alone, even ones that mention hydra', () => {
    assert.deepEqual(lines({ 'hydra.ory.sh/client': 'x', 'nginx.ingress.kubernetes.io/rewrite-target': '/', 'app': 'hydra' }), []);
  });
});

describe('message text', () => {
  test('long values are shortened, control characters escaped', () => {
    assert.ok(showValue('x'.repeat(5000)).length <= 64);
    assert.match(showValue('x'.repeat(5000)), /\.\.\."$/);
    assert.equal(showValue('a\nb\u001b[31m\u202e'), '"a\\nb\\u001b[31m\\u202e"');
  });

  test('a denial names the subject, counts, and lists every problem on its own line', () => {
    const problems = validateAnnotations({ 'hydra-route.ai/enabled': 'x', 'hydra-route.ai/model': 'y' }, config).problems;
    const text = formatDenial('Ingress shop/web', problems);
    assert.match(text, /^HydraRoute: Ingress shop\/web has 2 problems with its hydra-route\.ai annotations\n  - hydra-route\.ai\/enabled="x": .*\n  - hydra-route\.ai\/model="y": /);
  });

  test('a denial with very many problems lists twenty and counts the rest', () => {
    const many = Object.fromEntries(Array.from({ length: 30 }, (_, i) => [`hydra-route.ai/k${i}`, 'v']));
    const text = formatDenial('Ingress a/b', validateAnnotations(many, config).problems);
    assert.equal(text.split('\n').length, 22);
    assert.match(text, /and 10 more$/);
  });
});

test('a lookalike (homoglyph) value is shown escaped, so it cannot pass for the valid one', () => {
  const v = validateAnnotations({ 'hydra-route.ai/model': 'line\u0430r' }, defaultConfig());
  assert.equal(v.problems.length, 1);
  assert.match(formatProblem(v.problems[0]!), /model="line\\u0430r"/);
});

test('surrounding whitespace is ignored by every value rule alike (a YAML block scalar ends in a newline)', () => {
  const v = validateAnnotations({ 'hydra-route.ai/enabled': 'true\n', 'hydra-route.ai/min-replicas': ' 2', 'hydra-route.ai/model': 'linear ' }, defaultConfig());
  assert.deepEqual(v.problems, []);
  assert.equal(v.enabled, true);
  assert.equal(v.settings.minReplicas, 2);
  assert.equal(v.settings.model, 'linear');
});
