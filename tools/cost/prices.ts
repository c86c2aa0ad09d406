import * as fs from 'node:fs';
import * as path from 'node:path';
import { z } from 'zod';
import { CostInputError, describeIssues } from './errors';

/** The price table shipped with the repo. */
export const DEFAULT_PRICES_FILE = path.join(__dirname, '..', '..', 'lib', 'core', 'prices', 'prices-us-east-1.json');

const priceSchema = z.object({
  usd: z.number().finite().nonnegative(),
  unit: z.string().min(1),
  source: z.string().min(1),
  note: z.string().optional(),
});

const tableSchema = z.object({
  region: z.string().min(1),
  currency: z.literal('USD'),
  hoursPerMonth: z.number().positive(),
  compiled: z.string().regex(/^\d{4}-\d{2}-\d{2}$/, 'must be a date such as 2026-11-26'),
  prices: z.record(z.string(), priceSchema).refine((p) => Object.keys(p).length > 0, 'must hold at least one price'),
  rdsInstanceVcpus: z.record(z.string(), z.object({ vcpus: z.number().int().positive(), source: z.string().min(1) })),
});

export type PriceTableData = z.infer<typeof tableSchema>;

/** A price the table does not hold: the line it was needed for is reported as unpriced. */
export class MissingPriceError extends Error {
  constructor(
    readonly key: string,
    what: string,
  ) {
    super(`no price for ${what} in the price table (key '${key}')`);
    this.name = 'MissingPriceError';
  }
}

/** The validated price table: look-ups by key, with a clear error for a key it lacks. */
export class PriceTable {
  readonly region: string;
  readonly compiled: string;
  readonly hoursPerMonth: number;

  constructor(
    private readonly data: PriceTableData,
    readonly file: string,
  ) {
    this.region = data.region;
    this.compiled = data.compiled;
    this.hoursPerMonth = data.hoursPerMonth;
  }

  /** USD per the key's unit. `what` names the thing priced, for the unpriced message. */
  usd(key: string, what: string = key): number {
    const price = this.data.prices[key];
    if (!price) throw new MissingPriceError(key, what);
    return price.usd;
  }

  has(key: string): boolean {
    return key in this.data.prices;
  }

  /** The vCPU count of an RDS instance class (RDS Proxy and Database Insights bill per vCPU). */
  rdsVcpus(instanceClass: string): number {
    const entry = this.data.rdsInstanceVcpus[instanceClass];
    if (!entry) throw new MissingPriceError(`rdsInstanceVcpus.${instanceClass}`, `the vCPU count of ${instanceClass}`);
    return entry.vcpus;
  }
}

/** Reads and validates a price table; every way it can be wrong is one clear CostInputError. */
export function loadPriceTable(file: string = DEFAULT_PRICES_FILE): PriceTable {
  let text: string;
  try {
    text = fs.readFileSync(file, 'utf8');
  } catch {
    throw new CostInputError(`price table ${file} not found; restore lib/core/prices/prices-us-east-1.json or pass --prices <file>`);
  }
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch (error) {
    throw new CostInputError(`price table ${file} is not valid JSON (${(error as Error).message}); fix the file or restore it from git`);
  }
  const parsed = tableSchema.safeParse(json);
  if (!parsed.success) {
    throw new CostInputError(
      `price table ${file} is malformed; each price needs {usd (a number >= 0), unit, source}:\n${describeIssues(parsed.error.issues)}`,
    );
  }
  return new PriceTable(parsed.data, file);
}
