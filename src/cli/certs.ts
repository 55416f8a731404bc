import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { parseDuration } from '../config/duration.js';
import { issue } from '../tls/material.js';
import { servingNames } from '../tls/serving-tls.js';

export interface CertsOptions {
  out: string;
  service: string;
  namespace: string;
  validityMs: number;
  extraSans: string[];
}

/**
 * Writes ca.crt, tls.crt and tls.key for a manual install. The CA key is not written:
 * nothing else can be signed with it, and there is one less secret to keep.
 */
export function writeCertificateFiles(o: CertsOptions, now = new Date()): string[] {
  const names = servingNames(o.service, o.namespace, o.extraSans);
  const material = issue(names, { validityMs: o.validityMs, renewBeforeMs: 0, activationDelayMs: 0 }, now);
  mkdirSync(o.out, { recursive: true });
  const files: Array<[string, string, number]> = [
    ['ca.crt', material.ca.cert, 0o644],
    ['tls.crt', material.serving.cert, 0o644],
    ['tls.key', material.serving.key, 0o600],
  ];
  for (const [name, text, mode] of files) writeFileSync(join(o.out, name), text, { mode });
  return files.map(([name]) => join(o.out, name));
}

const USAGE = 'usage: hydra-route certs [--out DIR] [--service NAME] [--namespace NS] [--validity DUR] [--san NAME|IP ...]\n';

/** `hydra-route certs`: a CA and a serving certificate for the webhook Service, as files. */
export async function runCerts(argv: string[]): Promise<number> {
  const { values } = parseArgs({
    args: argv,
    options: {
      out: { type: 'string', default: 'certs' }, service: { type: 'string', default: 'hydra-route-webhook' },
      namespace: { type: 'string', default: 'hydra-route-system' }, validity: { type: 'string', default: '365d' },
      san: { type: 'string', multiple: true, default: [] },
    },
    strict: true,
  });
  const validityMs = parseDuration(values.validity);
  if (validityMs === undefined || validityMs <= 0) {
    process.stderr.write(`hydra-route certs: --validity must be a duration such as 90d, got "${values.validity}"\n${USAGE}`);
    return 2;
  }
  const written = writeCertificateFiles({ out: values.out, service: values.service, namespace: values.namespace, validityMs, extraSans: values.san });
  const dns = servingNames(values.service, values.namespace, values.san).dnsNames;
  process.stdout.write(`wrote ${written.join(', ')}\nserving certificate for ${dns.join(', ')}; valid for ${values.validity}\n`);
  return 0;
}
