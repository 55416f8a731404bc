/**
 * AdmissionReview v1 parsing and the verdict constructors. A handler never throws: every
 * outcome is one of allowed, denied, patched or errored, and the request uid is always echoed.
 * https://kubernetes.io/docs/reference/access-authn-authz/extensible-admission-controllers/#response
 */

import { printable } from '../annotations/validate.js';

export interface AdmissionRequest {
  uid: string;
  kind: { group: string; version: string; kind: string };
  operation: 'CREATE' | 'UPDATE' | 'DELETE' | 'CONNECT';
  namespace?: string;
  name?: string;
  object?: Record<string, unknown>;
  oldObject?: Record<string, unknown>;
  dryRun?: boolean;
}

export interface AdmissionResponse {
  uid: string;
  allowed: boolean;
  status?: { code: number; message: string; reason?: string };
  warnings?: string[];
  patchType?: 'JSONPatch';
  patch?: string;
}

export interface AdmissionReviewOut {
  apiVersion: 'admission.k8s.io/v1';
  kind: 'AdmissionReview';
  response: AdmissionResponse;
}

export type JsonPatchOp = { op: 'add' | 'remove' | 'replace'; path: string; value?: unknown };

export const review = (response: AdmissionResponse): AdmissionReviewOut => ({
  apiVersion: 'admission.k8s.io/v1',
  kind: 'AdmissionReview',
  response,
});

/**
 * kubectl prints each warning on one `Warning:` line; the API server drops non-printable
 * characters and cuts a warning after 256 characters, so every warning is made to fit here.
 */
const MAX_WARNING_LENGTH = 256;
function fitWarning(text: string): string {
  const line = printable(text);
  return line.length <= MAX_WARNING_LENGTH ? line : `${line.slice(0, MAX_WARNING_LENGTH - 3)}...`;
}
const withWarnings = (warnings: string[] | undefined) =>
  warnings && warnings.length > 0 ? { warnings: warnings.map(fitWarning) } : {};

export const allowed = (uid: string, warnings?: string[]) => review({ uid, allowed: true, ...withWarnings(warnings) });

export const denied = (uid: string, message: string, warnings?: string[]) =>
  review({ uid, allowed: false, status: { code: 403, reason: 'Forbidden', message }, ...withWarnings(warnings) });

export const patched = (uid: string, ops: JsonPatchOp[], warnings?: string[]) =>
  ops.length === 0
    ? allowed(uid, warnings)
    : review({
        uid,
        allowed: true,
        patchType: 'JSONPatch',
        patch: Buffer.from(JSON.stringify(ops)).toString('base64'),
        ...withWarnings(warnings),
      });

/** An internal failure: still a well-formed review carrying the uid. */
export const errored = (uid: string, message: string) =>
  review({ uid, allowed: false, status: { code: 500, reason: 'InternalError', message } });

/** Why a body is not an AdmissionReview v1 we can answer; becomes an HTTP 400. */
export class BadReviewError extends Error {
  readonly code = 'HR_BAD_ADMISSION_REVIEW';
}

const OPERATIONS = new Set(['CREATE', 'UPDATE', 'DELETE', 'CONNECT']);
const isObject = (v: unknown): v is Record<string, unknown> => typeof v === 'object' && v !== null && !Array.isArray(v);

/** Checks the envelope of an AdmissionReview v1 and returns its request. */
export function parseReview(body: unknown): AdmissionRequest {
  if (!isObject(body)) throw new BadReviewError('body must be a JSON object (an AdmissionReview)');
  if (body.apiVersion !== 'admission.k8s.io/v1' || body.kind !== 'AdmissionReview') {
    throw new BadReviewError(
      `expected apiVersion "admission.k8s.io/v1" and kind "AdmissionReview", got ${body.apiVersion === undefined ? 'no apiVersion' : JSON.stringify(body.apiVersion)} and ${body.kind === undefined ? 'no kind' : JSON.stringify(body.kind)}; register the webhook with admissionReviewVersions: ["v1"]`,
    );
  }
  const req = body.request;
  if (!isObject(req)) throw new BadReviewError('AdmissionReview has no "request" object');
  if (typeof req.uid !== 'string' || req.uid === '') throw new BadReviewError('request.uid must be a non-empty string');
  if (!isObject(req.kind) || typeof req.kind.kind !== 'string') throw new BadReviewError('request.kind.kind must be a string');
  if (typeof req.operation !== 'string' || !OPERATIONS.has(req.operation)) {
    throw new BadReviewError(`request.operation must be one of CREATE, UPDATE, DELETE, CONNECT, got ${JSON.stringify(req.operation)}`);
  }
  // The API server always sends the object of a CREATE and an UPDATE (and the old one of an UPDATE).
  if ((req.operation === 'CREATE' || req.operation === 'UPDATE') && !isObject(req.object)) {
    throw new BadReviewError(`request.object is required for ${req.operation} and must be an object`);
  }
  for (const field of ['object', 'oldObject'] as const) {
    if (req[field] !== undefined && req[field] !== null && !isObject(req[field])) {
      throw new BadReviewError(`request.${field} must be an object`);
    }
  }
  return {
    uid: req.uid,
    kind: {
      group: String(req.kind.group ?? ''),
      version: String(req.kind.version ?? ''),
      kind: req.kind.kind,
    },
    operation: req.operation as AdmissionRequest['operation'],
    namespace: typeof req.namespace === 'string' ? req.namespace : undefined,
    name: typeof req.name === 'string' ? req.name : undefined,
    object: isObject(req.object) ? req.object : undefined,
    oldObject: isObject(req.oldObject) ? req.oldObject : undefined,
    dryRun: req.dryRun === true,
  };
}

/** JSON Pointer escaping for one path segment (RFC 6901 §4). */
export const pointer = (segment: string) => segment.replace(/~/g, '~0').replace(/\//g, '~1');
