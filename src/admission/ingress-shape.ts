/**
 * Structural checks on an object that claims to be an Ingress, before any rule reads it.
 * The API server only sends well-formed objects, but `lint` reads files written by hand
 * and the webhook must survive anything on the wire; a wrong shape is reported by path
 * instead of surfacing as a TypeError deep inside resolution.
 */

const isObject = (v: unknown): v is Record<string, unknown> => typeof v === 'object' && v !== null && !Array.isArray(v);
const absent = (v: unknown) => v === undefined || v === null;

type Check = (value: unknown, path: string) => string | undefined;

const optionalObject = (inner?: Check): Check => (value, path) => {
  if (absent(value)) return undefined;
  if (!isObject(value)) return `${path} must be a map`;
  return inner?.(value, path);
};

const optionalList = (item: Check): Check => (value, path) => {
  if (absent(value)) return undefined;
  if (!Array.isArray(value)) return `${path} must be a list`;
  for (let i = 0; i < value.length; i++) {
    const problem = item(value[i], `${path}[${i}]`);
    if (problem) return problem;
  }
  return undefined;
};

const optionalString: Check = (value, path) => (absent(value) || typeof value === 'string' ? undefined : `${path} must be a string`);

const fields = (shape: Record<string, Check>): Check => (value, path) => {
  const obj = value as Record<string, unknown>;
  for (const [name, check] of Object.entries(shape)) {
    const problem = check(obj[name], `${path}.${name}`);
    if (problem) return problem;
  }
  return undefined;
};

const backend = optionalObject(fields({ service: optionalObject(fields({ name: optionalString })) }));
const path = (value: unknown, at: string) => (isObject(value) ? backend(value.backend, `${at}.backend`) : `${at} must be a map`);
const rule = (value: unknown, at: string) =>
  isObject(value) ? optionalObject(fields({ paths: optionalList(path) }))(value.http, `${at}.http`) : `${at} must be a map`;

const ingress = fields({
  metadata: optionalObject(fields({ name: optionalString, namespace: optionalString, generateName: optionalString, annotations: optionalObject() })),
  spec: optionalObject(fields({ ingressClassName: optionalString, defaultBackend: backend, rules: optionalList(rule) })),
});

/** Why `object` cannot be read as an Ingress (a path and what it must be), or undefined. */
export function ingressShapeProblem(object: unknown): string | undefined {
  if (!isObject(object)) return 'the object must be a map';
  return ingress(object, 'Ingress');
}
