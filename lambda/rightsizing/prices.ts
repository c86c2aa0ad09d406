// The cost tool's price table (lib/core/prices/prices-us-east-1.json), bundled: the advisor's
// monthly cost effects come from the same figures as `npm run cost`.
import table from '../../lib/core/prices/prices-us-east-1.json';

/**
 * Prices by the cost tool's keys. The cost tool's `PriceTable` (`tools/cost/prices.ts`) has this
 * shape, so `npm run rightsize -- --prices <file>` passes its validated table straight in.
 */
export interface PriceLookup {
  readonly hoursPerMonth: number;
  /** USD per the key's unit; throws when the table has no such key. */
  usd(key: string, what?: string): number;
  has(key: string): boolean;
}

/** A price the table lacks: the recommendation that needed it is reported without a cost effect. */
export class UnknownPriceError extends Error {
  override readonly name = 'UnknownPriceError';
}

interface TableData {
  readonly hoursPerMonth: number;
  readonly prices: Readonly<Record<string, { readonly usd: number }>>;
}

/** The table shipped with the package, as the Lambda bundles it. */
export function bundledPrices(data: TableData = table as TableData): PriceLookup {
  return {
    hoursPerMonth: data.hoursPerMonth,
    usd(key, what = key) {
      const price = data.prices[key];
      if (!price) throw new UnknownPriceError(`no price for ${what} in the price table (key '${key}')`);
      return price.usd;
    },
    has: (key) => key in data.prices,
  };
}

/** Price keys, spelled as the cost tool spells them (tools/cost/pricing/*.ts). */
export const PRICE_KEYS = {
  rdsInstanceHour: (instanceClass: string, multiAz: boolean) => `rds.postgres.${instanceClass}.${multiAz ? 'multiAz' : 'singleAz'}.hour`,
  rdsProxyVcpuHour: 'rds.proxy.vcpuHour',
  databaseInsightsAdvancedVcpuHour: 'cloudwatch.databaseInsights.advanced.vcpuHour',
  cacheNodeHour: (nodeType: string) => `elasticache.valkey.${nodeType}.hour`,
  fargateVcpuHour: (arch: 'x86' | 'arm', spot: boolean) => (spot ? `fargate.spot.${arch}.vcpuHour.estimate` : `fargate.${arch}.vcpuHour`),
  fargateGbHour: (arch: 'x86' | 'arm', spot: boolean) => (spot ? `fargate.spot.${arch}.gbHour.estimate` : `fargate.${arch}.gbHour`),
  lambdaGbSecond: 'lambda.arm.gbSecond',
} as const;
