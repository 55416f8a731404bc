/**
 * Kubernetes objects nest a few dozen levels at most (managedFields included). A deeper
 * body is not an AdmissionReview, and recursive code downstream (logging, cloning) could
 * overflow the stack on it, so it is refused before parsing.
 */
export const MAX_JSON_DEPTH = 100;

/** Nesting depth of a JSON text, counted in one pass without parsing (brackets in strings skipped). */
export function jsonDepth(text: string, stopAbove = Infinity): number {
  let depth = 0;
  let deepest = 0;
  let inString = false;
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    if (inString) {
      if (c === 0x5c) i++; // backslash: skip the escaped character
      else if (c === 0x22) inString = false;
    } else if (c === 0x22) inString = true;
    else if (c === 0x7b || c === 0x5b) {
      if (++depth > deepest) deepest = depth;
      if (deepest > stopAbove) return deepest;
    } else if (c === 0x7d || c === 0x5d) depth--;
  }
  return deepest;
}

/** A request body that is not acceptable JSON: the HTTP status and the reason sent back. */
export class BodyError extends Error {
  constructor(readonly statusCode: number, message: string) {
    super(message);
  }
}

/** A "__proto__" key would poison prototypes if the object were ever merged with Object.assign. */
function refuseProto(key: string, value: unknown): unknown {
  if (key === '__proto__') throw new BodyError(400, 'the body has a "__proto__" key, which no Kubernetes object has');
  return value;
}

/** Parses an AdmissionReview body; throws BodyError (400) with a reason for anything else. */
export function parseJsonBody(text: string): unknown {
  if (text.trim() === '') throw new BodyError(400, 'the body is empty; send an AdmissionReview v1 as JSON');
  if (jsonDepth(text, MAX_JSON_DEPTH) > MAX_JSON_DEPTH) {
    throw new BodyError(400, `the JSON nests deeper than ${MAX_JSON_DEPTH} levels; that is not an AdmissionReview`);
  }
  // A reviver makes JSON.parse call back for every value of a 2 KB-3 MB review (most of the
  // webhook's CPU); only a text that could hold the key, literally or escaped, needs one.
  const mayHoldProto = text.includes('__proto__') || text.includes('\\u');
  try {
    return mayHoldProto ? JSON.parse(text, refuseProto) : JSON.parse(text);
  } catch (err) {
    if (err instanceof BodyError) throw err;
    throw new BodyError(400, `the body is not valid JSON: ${(err as Error).message}`);
  }
}
