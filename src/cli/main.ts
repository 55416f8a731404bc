#!/usr/bin/env node
import { parseArgs } from 'node:util';
import { ConfigError } from '../config/load.js';
import { KubeconfigError } from '../kube/client.js';
import { serve, serveDefaults } from './serve.js';
import { runLocal } from './local.js';
import { parseDuration } from '../config/duration.js';

const USAGE = `Usage: hydra-route <command> [options]

Commands:
  serve   [--config FILE] [--dry-run[=true|false]]   run the webhooks, reconciler and scaler (default command)
  certs   --out DIR --service NAME --namespace NS   write ca.crt, tls.crt and tls.key for your own install (default DIR certs/)
  local   up | down                                 a local control plane with the product running (for trying it and for tests)
  simulate --trace FILE [--output table|json] [--chart FILE.svg]   replay a trace through the real decision code against HPA, Holt-Winters and an oracle
  demo                                              the whole path on the local control plane, then clean up
  lint    [--output text|json] FILE... | -          the validating webhook's checks, offline (exit 0 clean, 1 problems, 2 unreadable)

"hydra-route help lint" and "hydra-route help simulate" list the options of those commands.

serve options:
  --config FILE          configuration YAML (default: built-in defaults, as config/default-config.yaml)
  --dry-run[=BOOL]       decide and record Events, never change replicas (overrides general.dry_run)
  --kubeconfig FILE      default: $KUBECONFIG, ~/.kube/config, or the in-cluster service account
  --tls-cert-file FILE   webhook serving certificate (PEM); with --tls-key-file. Turns self-managed TLS off;
  --tls-key-file FILE      the files are reloaded when they change
  self-managed TLS (default): CA and certificate in Secret hydra-route-webhook-tls, CA written into the caBundle
  of hydra-route-validating and hydra-route-mutating
  --tls-service NAME     webhook Service named in the certificate, default hydra-route-webhook
  --tls-san NAME|IP      an extra name or IP address in the certificate (repeatable), e.g. 127.0.0.1
  --cert-validity DUR    lifetime of the CA and certificate, default 365d
  --cert-renew-before DUR  renew this long before expiry, default 120d
  --tls-activation-delay DUR  after a renewal, serve the new certificate this much later, default 10s
  --tls-sync-interval DUR     how often the Secret and caBundle are checked, default 30s
  --webhook-port N       default 8443        --metrics-port N   default 8080      --health-port N   default 8081
  --bind-address IP      default 0.0.0.0     --namespace NS     default $POD_NAMESPACE or hydra-route-system
  --identity NAME        leader-election identity, default $POD_NAME or host-pid
  --lease-name NAME      the Lease in --namespace that scaler replicas elect a leader with, default hydra-route-leader
`;

/** `--dry-run` alone means true; `--dry-run=false` is accepted too (the original's spelling). */
function normaliseBooleans(argv: string[]): string[] {
  return argv.map((a) => (a === '--dry-run' ? '--dry-run=true' : a));
}

async function runServe(argv: string[]): Promise<number> {
  const { values } = parseArgs({
    args: normaliseBooleans(argv),
    options: {
      config: { type: 'string' }, 'dry-run': { type: 'string' }, kubeconfig: { type: 'string' },
      'tls-cert-file': { type: 'string' }, 'tls-key-file': { type: 'string' },
      'tls-service': { type: 'string' }, 'tls-san': { type: 'string', multiple: true },
      'cert-validity': { type: 'string' }, 'cert-renew-before': { type: 'string' },
      'tls-activation-delay': { type: 'string' }, 'tls-sync-interval': { type: 'string' },
      'webhook-port': { type: 'string' }, 'metrics-port': { type: 'string' }, 'health-port': { type: 'string' },
      'bind-address': { type: 'string' }, namespace: { type: 'string' }, identity: { type: 'string' }, 'lease-name': { type: 'string' },
    },
    strict: true,
  });
  const dry = values['dry-run'];
  if (dry !== undefined && dry !== 'true' && dry !== 'false') throw new UsageError(`--dry-run must be true or false, got "${dry}"`);
  const port = (name: string, fallback: number) => {
    const text = values[name as keyof typeof values];
    if (text === undefined) return fallback;
    const n = Number(text);
    if (!Number.isInteger(n) || n < 0 || n > 65535) throw new UsageError(`--${name} must be a port number (0-65535), got "${text}"`);
    return n;
  };
  const duration = (name: string, fallback: number) => {
    const text = values[name as keyof typeof values] as string | undefined;
    if (text === undefined) return fallback;
    const ms = parseDuration(text);
    if (ms === undefined || ms <= 0) throw new UsageError(`--${name} must be a duration such as 30s, 12h or 90d, got "${text}"`);
    return ms;
  };
  const d = serveDefaults();
  if (Boolean(values['tls-cert-file']) !== Boolean(values['tls-key-file'])) throw new UsageError('--tls-cert-file and --tls-key-file go together');
  const validity = duration('cert-validity', d.certValidityMs);
  const renewBefore = duration('cert-renew-before', d.certRenewBeforeMs);
  const activation = duration('tls-activation-delay', d.tlsActivationDelayMs);
  if (validity - renewBefore < 2 * activation) {
    throw new UsageError('--cert-validity minus --cert-renew-before must leave at least twice --tls-activation-delay between renewals');
  }
  await serve({
    ...d,
    configPath: values.config,
    dryRun: dry === undefined ? undefined : dry === 'true',
    kubeconfig: values.kubeconfig,
    tlsCertFile: values['tls-cert-file'],
    tlsKeyFile: values['tls-key-file'],
    tlsService: values['tls-service'] ?? d.tlsService,
    tlsSans: values['tls-san'] ?? d.tlsSans,
    certValidityMs: validity,
    certRenewBeforeMs: renewBefore,
    tlsActivationDelayMs: activation,
    tlsSyncIntervalMs: duration('tls-sync-interval', d.tlsSyncIntervalMs),
    webhookPort: port('webhook-port', d.webhookPort),
    metricsPort: port('metrics-port', d.metricsPort),
    healthPort: port('health-port', d.healthPort),
    bindAddress: values['bind-address'] ?? d.bindAddress,
    namespace: values.namespace ?? d.namespace,
    identity: values.identity ?? d.identity,
    leaseName: values['lease-name'] ?? d.leaseName,
  });
  return -1; // keeps running until a signal
}

export class UsageError extends Error {}

const wantsHelp = (args: string[]) => args.includes('--help') || args.includes('-h');

async function main(argv: string[]): Promise<number> {
  const [first, ...rest] = argv;
  // lint and simulate print their own, more detailed help.
  const ownHelp = first === 'lint' || first === 'simulate';
  if (first === 'help' || (!ownHelp && wantsHelp(argv))) {
    const topic = first === 'help' ? rest[0] : undefined;
    if (topic === 'lint' || topic === 'simulate') return main([topic, '--help']);
    process.stdout.write(USAGE);
    return 0;
  }
  if (first === undefined || first.startsWith('--')) return runServe(argv); // serving is the default command
  switch (first) {
    case 'serve':
      return runServe(rest);
    case 'certs':
      return (await import('./certs.js')).runCerts(rest);
    case 'local':
      return runLocal(rest);
    case 'simulate':
      return (await import('../simulate/command.js')).runSimulateCommand(rest);
    case 'lint':
      return (await import('../lint/command.js')).runLint(rest);
    case 'demo':
      return (await import('./demo.js')).runDemo(rest);
    default:
      throw new UsageError(`unknown command "${first}"`);
  }
}

main(process.argv.slice(2)).then(
  (code) => {
    if (code >= 0) process.exitCode = code;
  },
  (err: unknown) => {
    if (err instanceof ConfigError || err instanceof KubeconfigError) {
      process.stderr.write(`hydra-route: ${err.message}\n`);
      process.exitCode = 2;
    } else if (err instanceof UsageError || (err as { code?: string }).code?.startsWith('ERR_PARSE_ARGS')) {
      process.stderr.write(`hydra-route: ${(err as Error).message}\n\n${USAGE}`);
      process.exitCode = 2;
    } else {
      process.stderr.write(`hydra-route: ${(err as Error).stack ?? String(err)}\n`);
      process.exitCode = 1;
    }
  },
);
