import { z } from 'zod';
import { QUERY_NAMES, type QueryName } from './queries.js';

/**
 * Proposed key `metrics.queries` (not yet in src/config/schema.ts): PromQL overrides per
 * signal, plus `replicas`. Each is a template with the placeholders listed in
 * queries.ts. To adopt it, add to the `metrics` object of configSchema:
 *
 *   queries: queriesSchema,
 *
 * request_rate, network_bandwidth and io_bandwidth overrides return the target's total;
 * the collector divides by the replica count.
 */
export const queriesSchema = z
  .strictObject(
    Object.fromEntries(
      QUERY_NAMES.map((name) => [
        name,
        z.string({ error: 'expected a PromQL query template' }).min(1, 'expected a PromQL query template').optional(),
      ]),
    ) as Record<QueryName, z.ZodOptional<z.ZodString>>,
  )
  .prefault({});

export type QueryOverrides = Partial<Record<QueryName, string>>;
