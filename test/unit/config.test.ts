import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, test } from 'node:test';
import { ConfigError, defaultConfig, loadConfigFile, loadConfigText } from '../../src/config/load.js';
import { packageRoot } from '../../src/local/paths.js';

const problemsOf = (text: string): string[] => {
  try {
    loadConfigText(text, 'test.yaml');
  } catch (err) {
    assert.ok(err instanceof ConfigError);
    return err.problems;
  }
  assert.fail('expected the configuration to be refused');
};

describe('configuration loading', () => {
  test('the default file equals the built-in defaults', () => {
    assert.deepEqual(loadConfigFile(join(packageRoot(), 'config', 'default-config.yaml')), defaultConfig());
  });

  test('durations become milliseconds', () => {
    const c = loadConfigText('metrics: {retention_period: 7d}\nscaling: {cooldown: {scale_up_cooldown: 90s}, ai_model: {historical_window: 2d}}\n', 'x');
    assert.equal(c.scaling.cooldown.scale_up_cooldown, 90_000);
    assert.equal(c.scaling.ai_model.historical_window, 172_800_000);
  });

  const cases: Array<[string, string, RegExp[]]> = [
    ['unknown key, misspelt', 'scaling:\n  cooldwn: {}\n', [/^scaling\.cooldwn: unknown key/]],
    ['wrong type', 'scaling:\n  max_replicas: "ten"\n', [/^scaling\.max_replicas: expected a whole number; found "ten"/]],
    ['min above max', 'scaling:\n  min_replicas: 9\n  max_replicas: 3\n', [/^scaling\.min_replicas: must not exceed scaling\.max_replicas \(3\); found 9/]],
    ['a weight that is not a number', 'scaling:\n  ai_model:\n    feature_weights: {cpu_utilization: heavy}\n', [/^scaling\.ai_model\.feature_weights\.cpu_utilization: expected a number; found "heavy"/]],
    ['a bad duration', 'metrics:\n  collection_interval: 30 seconds\n', [/^metrics\.collection_interval: expected a duration such as 30s, 5m or 24h; found "30 seconds"/]],
    ['an unknown model', 'scaling:\n  ai_model: {model_type: lstm}\n', [/^scaling\.ai_model\.model_type: expected one of linear, neural_network, ensemble; found "lstm"/]],
    ['leader election timings out of order', 'general:\n  leader_election: {lease_duration: 5s, renew_deadline: 10s}\n', [/retry_period < renew_deadline < lease_duration/]],
    ['a number out of range names the range', 'scaling:\n  ai_model: {learning_rate: -1}\n  prediction: {confidence_threshold: 1.5}\n  max_replicas: 100000\n', [
      /^scaling\.max_replicas: must be at most 1000; found 100000/, /^scaling\.ai_model\.learning_rate: must be at least 0\.000001; found -1/,
      /^scaling\.prediction\.confidence_threshold: must be at most 1; found 1\.5/,
    ]],
    ['durations out of range', 'metrics:\n  collection_interval: 1ms\nscaling:\n  cooldown: {scale_up_cooldown: 99999h}\n', [
      /^metrics\.collection_interval: must be from 1s to 30d; found "1ms"/, /^scaling\.cooldown\.scale_up_cooldown: must be from 0s to 24h; found "99999h"/,
    ]],
    ['values that cannot work together', 'metrics: {retention_period: 10s}\ngeneral: {health_check: {interval: 5s, timeout: 1m}}\nscaling:\n  ai_model:\n    feature_weights: {cpu_utilization: 0, memory_utilization: 0, request_rate: 0, network_bandwidth: 0, io_bandwidth: 0, response_time: 0, error_rate: 0}\n', [
      /^metrics\.retention_period: must be at least metrics\.collection_interval/, /^scaling\.ai_model\.historical_window: must not exceed metrics\.retention_period/,
      /^general\.health_check\.timeout: must be shorter than general\.health_check\.interval/, /^scaling\.ai_model\.feature_weights: at least one weight must be above 0/,
    ]],
    ['broken YAML', 'scaling: [\n', [/^YAML syntax: /]],
    ['several problems at once', 'metrics: {prometheus_url: 42}\ngeneral: {log_level: loud, dry_run: maybe}\n', [
      /^metrics\.prometheus_url: .*found 42/, /^general\.log_level: expected one of trace/, /^general\.dry_run: expected true or false; found "maybe"/,
    ]],
  ];
  for (const [name, text, expected] of cases) {
    test(`refused with a message naming key, value and rule: ${name}`, () => {
      const problems = problemsOf(text);
      assert.equal(problems.length, expected.length, problems.join('\n'));
      expected.forEach((re, i) => assert.match(problems[i] as string, re));
    });
  }

  test("the original's invocation: hydra-route --config=FILE --dry-run=true stops on a bad file with exit 2 and every problem", () => {
    const dir = mkdtempSync(join(tmpdir(), 'hr-config-'));
    const file = join(dir, 'bad.yaml');
    writeFileSync(file, 'scaling:\n  min_replicas: 30\n  max_replicas: 3\ngeneral:\n  ingres_class: nginx\n');
    const r = spawnSync(process.execPath, [join(packageRoot(), 'dist/src/cli/main.js'), `--config=${file}`, '--dry-run=true'], { encoding: 'utf8' });
    assert.equal(r.status, 2, r.stderr);
    assert.match(r.stderr, new RegExp(`invalid configuration in ${file.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}`));
    assert.match(r.stderr, /general\.ingres_class: unknown key/);
    const bad = spawnSync(process.execPath, [join(packageRoot(), 'dist/src/cli/main.js'), 'serve', '--dry-run=perhaps'], { encoding: 'utf8' });
    assert.equal(bad.status, 2);
    assert.match(bad.stderr, /--dry-run must be true or false, got "perhaps"/);
    assert.ok(readFileSync(file, 'utf8').length > 0);
  });
});
