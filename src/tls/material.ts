import { X509Certificate, createPrivateKey } from 'node:crypto';
import { createSecureContext } from 'node:tls';
import { createCertificateAuthority, createSignedCertificate, type KeyPair } from './pki.js';

/**
 * What the webhook serves with, as kept in the Secret: the CA that signs, the serving
 * pair, and (after a rotation) the CA before it, which stays in the caBundle so that a
 * replica still serving the previous certificate is trusted until it switches.
 */
export interface TlsMaterial {
  ca: KeyPair;
  serving: KeyPair;
  previousCaCert?: string;
  /** Replicas serve `serving` from this moment on: the caBundle has had time to reach the API servers. */
  activateAt: Date;
}

/** The names the serving certificate must answer to. */
export interface ServingNames {
  dnsNames: string[];
  ipAddresses: string[];
}

export interface RenewalPolicy {
  validityMs: number;
  renewBeforeMs: number;
  /** Time between writing a new CA into the caBundle and serving the certificate it signed. */
  activationDelayMs: number;
}

/** keep: valid and not due; rotate: due, the old CA stays trusted; replace: nothing usable. */
export type Verdict = { action: 'keep' } | { action: 'rotate' | 'replace'; reason: string };

/** Thrown for unusable material; the message names the problem and never holds PEM. */
export class InvalidMaterialError extends Error {}

function parseCert(pem: string, what: string): X509Certificate {
  try {
    return new X509Certificate(pem);
  } catch {
    throw new InvalidMaterialError(`${what} is not a PEM certificate`);
  }
}

function checkKey(cert: X509Certificate, keyPem: string, what: string): void {
  let matches = false;
  try {
    matches = cert.checkPrivateKey(createPrivateKey(keyPem));
  } catch {
    throw new InvalidMaterialError(`${what} key is not a PEM private key`);
  }
  if (!matches) throw new InvalidMaterialError(`${what} key does not belong to its certificate`);
}

const expiry = (c: X509Certificate) => new Date(c.validTo);

/** Checks that the pair can serve (parses, key matches, TLS accepts it); returns the certificate. */
export function checkServingPair(pair: KeyPair, what = 'serving certificate'): X509Certificate {
  const cert = parseCert(pair.cert, what);
  checkKey(cert, pair.key, what);
  try {
    createSecureContext({ cert: pair.cert, key: pair.key });
  } catch {
    throw new InvalidMaterialError(`${what} is not accepted by TLS`);
  }
  return cert;
}

/** Decides what the material in the Secret needs, at `now`. */
export function assess(material: TlsMaterial | undefined, names: ServingNames, policy: RenewalPolicy, now: Date): Verdict {
  if (!material) return { action: 'replace', reason: 'missing' };
  let ca: X509Certificate;
  let leaf: X509Certificate;
  try {
    ca = parseCert(material.ca.cert, 'CA certificate');
    checkKey(ca, material.ca.key, 'CA');
    leaf = checkServingPair(material.serving);
    if (!ca.ca) throw new InvalidMaterialError('CA certificate is not a CA');
    if (!leaf.verify(ca.publicKey)) throw new InvalidMaterialError('serving certificate is not signed by the CA');
  } catch (err) {
    if (err instanceof InvalidMaterialError) return { action: 'replace', reason: `corrupt: ${err.message}` };
    throw err;
  }
  const notAfter = Math.min(expiry(ca).getTime(), expiry(leaf).getTime());
  if (notAfter <= now.getTime()) return { action: 'replace', reason: `expired at ${new Date(notAfter).toISOString()}` };
  if (new Date(ca.validFrom).getTime() > now.getTime() || new Date(leaf.validFrom).getTime() > now.getTime()) {
    return { action: 'replace', reason: 'not valid yet (notBefore in the future)' };
  }
  const missing = [
    ...names.dnsNames.filter((n) => leaf.checkHost(n, { wildcards: false }) === undefined),
    ...names.ipAddresses.filter((ip) => leaf.checkIP(ip) === undefined),
  ];
  if (missing.length > 0) return { action: 'rotate', reason: `serving certificate lacks names ${missing.join(', ')}` };
  if (notAfter - policy.renewBeforeMs <= now.getTime()) {
    return { action: 'rotate', reason: `expires at ${new Date(notAfter).toISOString()}, within the renewal window` };
  }
  return { action: 'keep' };
}

/**
 * The issue time in the CA's name keeps the subjects of an old and a new CA apart in one
 * bundle. Only PrintableString characters: node-forge encodes the name that way, and Go
 * (the API server) refuses to load a bundle holding any other character, such as '@'.
 */
export function caCommonName(now: Date): string {
  return `hydra-route-webhook-ca-${Math.floor(now.getTime() / 1000)}`;
}

/** A new CA and serving certificate; `previous` is the material it replaces (its CA stays trusted). */
export function issue(names: ServingNames, policy: RenewalPolicy, now: Date, previous?: TlsMaterial): TlsMaterial {
  const days = policy.validityMs / 86_400_000;
  const ca = createCertificateAuthority(caCommonName(now), days, now);
  const serving = createSignedCertificate(ca, {
    commonName: names.dnsNames[0] ?? names.ipAddresses[0] ?? 'hydra-route-webhook',
    dnsNames: names.dnsNames, ipAddresses: names.ipAddresses, days, notBefore: now, usage: 'server',
  });
  const previousCaCert = previous ? previous.ca.cert : undefined;
  const activateAt = new Date(now.getTime() + (previousCaCert ? policy.activationDelayMs : 0));
  return { ca, serving, previousCaCert, activateAt };
}

/** The PEM CA bundle for the webhook configurations: the current CA, then the previous one while it is valid. */
export function caBundle(material: TlsMaterial, now: Date): string {
  const certs = [material.ca.cert.trim()];
  const prev = material.previousCaCert;
  if (prev) {
    try {
      if (expiry(new X509Certificate(prev)).getTime() > now.getTime()) certs.push(prev.trim());
    } catch {
      // A previous CA that does not parse is simply not trusted any more.
    }
  }
  return certs.join('\n') + '\n';
}

/** SHA-256 fingerprint of a PEM certificate, for logs and comparisons (public data). */
export function fingerprint(pem: string): string {
  return new X509Certificate(pem).fingerprint256;
}
