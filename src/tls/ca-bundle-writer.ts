import { PatchStrategy, setHeaderOptions, type AdmissionregistrationV1Api } from '@kubernetes/client-node';
import { statusCode } from '../kube/client.js';

export const VALIDATING_CONFIG = 'hydra-route-validating';
export const MUTATING_CONFIG = 'hydra-route-mutating';

const JSON_PATCH = setHeaderOptions('Content-Type', PatchStrategy.JsonPatch);

interface WebhookConfig {
  metadata?: { resourceVersion?: string };
  webhooks?: Array<{ clientConfig: { caBundle?: string } }>;
}

export type BundleResult = 'unchanged' | 'patched' | 'absent';

/** Writes the caBundle of HydraRoute's own two webhook configurations. A fake in unit tests. */
export interface BundleWriter {
  ensure(bundlePem: string): Promise<Record<string, BundleResult>>;
}

/**
 * The JSON patch that sets `caBundle` on every webhook entry that differs; empty when none does.
 * The `test` on resourceVersion makes the patch fail, instead of hitting the wrong entry,
 * if someone re-applied the configuration (and so perhaps reordered its webhooks) meanwhile.
 */
export function caBundlePatch(config: WebhookConfig, bundleB64: string): object[] {
  const ops: object[] = [];
  (config.webhooks ?? []).forEach((w, i) => {
    if (w.clientConfig.caBundle !== bundleB64) ops.push({ op: 'add', path: `/webhooks/${i}/clientConfig/caBundle`, value: bundleB64 });
  });
  if (ops.length === 0) return ops;
  return [{ op: 'test', path: '/metadata/resourceVersion', value: config.metadata?.resourceVersion }, ...ops];
}

/** Patches caBundle by name only: get and patch on the two named configurations are all the ClusterRole allows. */
export class WebhookBundleWriter implements BundleWriter {
  constructor(private readonly api: AdmissionregistrationV1Api) {}

  async ensure(bundlePem: string): Promise<Record<string, BundleResult>> {
    const b64 = Buffer.from(bundlePem, 'utf8').toString('base64');
    return {
      [VALIDATING_CONFIG]: await this.one(b64,
        () => this.api.readValidatingWebhookConfiguration({ name: VALIDATING_CONFIG }),
        (body) => this.api.patchValidatingWebhookConfiguration({ name: VALIDATING_CONFIG, body, fieldManager: 'hydra-route' }, JSON_PATCH)),
      [MUTATING_CONFIG]: await this.one(b64,
        () => this.api.readMutatingWebhookConfiguration({ name: MUTATING_CONFIG }),
        (body) => this.api.patchMutatingWebhookConfiguration({ name: MUTATING_CONFIG, body, fieldManager: 'hydra-route' }, JSON_PATCH)),
    };
  }

  private async one(b64: string, read: () => Promise<WebhookConfig>, patch: (ops: object[]) => Promise<unknown>): Promise<BundleResult> {
    for (let attempt = 0; ; attempt++) {
      let config: WebhookConfig;
      try {
        config = await read();
      } catch (err) {
        // Not installed (yet): the next sync writes it once it exists.
        if (statusCode(err) === 404) return 'absent';
        throw err;
      }
      const ops = caBundlePatch(config, b64);
      if (ops.length === 0) return 'unchanged';
      try {
        await patch(ops);
        return 'patched';
      } catch (err) {
        // A failed `test` (the object changed between read and patch) is 422: read again.
        const code = statusCode(err);
        if (attempt >= 3 || (code !== 422 && code !== 409)) throw err;
      }
    }
  }
}
