import { MissingPriceError, type PriceTable } from '../prices';
import type { CfnResource, CfnTemplate } from '../template';
import { num, refersTo, str } from '../template';
import type { Scenario, Usage, UsageKey } from '../usage';

/** A value for each scenario. */
export interface PerScenario {
  readonly baseline: number;
  readonly peak: number;
}

/** One priced line of a resource, in USD a month. */
export interface Charge extends PerScenario {
  /** What is billed, e.g. `Fargate Spot (X86_64)`. */
  readonly item: string;
  /** How: the quantities and unit prices behind the figure. */
  readonly detail: string;
}

/** What a pricer found for one resource: charges, parts it could not price, or why it is free. */
export interface Priced {
  readonly charges: Charge[];
  readonly unpriced: string[];
  readonly free?: string;
}

export function perScenario(fn: (s: Scenario) => number): PerScenario {
  return { baseline: fn('baseline'), peak: fn('peak') };
}

/** Shows a quantity that may differ between scenarios: `2` or `1-4`. */
export function range(values: PerScenario, format: (n: number) => string = fmt): string {
  return values.baseline === values.peak ? format(values.baseline) : `${format(values.baseline)}-${format(values.peak)}`;
}

/** A number with at most 4 significant decimals and thousands separators. */
export function fmt(n: number): string {
  return n.toLocaleString('en-US', { maximumFractionDigits: n !== 0 && Math.abs(n) < 0.01 ? 7 : 4 });
}

/** `$0.045` */
export function usd(n: number): string {
  return `$${fmt(n)}`;
}

/** Collects a resource's charges; a price missing from the table turns that part into unpriced. */
export class Bill implements Priced {
  readonly charges: Charge[] = [];
  readonly unpriced: string[] = [];
  free?: string;

  /** Adds `item` at `fn(scenario)` USD a month; `detail` may also read a price (and fail). */
  add(item: string, detail: string | (() => string), fn: (s: Scenario) => number): void {
    try {
      const amounts = perScenario(fn);
      this.charges.push({ item, detail: typeof detail === 'string' ? detail : detail(), ...amounts });
    } catch (error) {
      if (!(error instanceof MissingPriceError)) throw error;
      this.unpriced.push(`${item}: ${error.message}`);
    }
  }

  /** A part of the resource this tool cannot price, with the reason. */
  cannot(reason: string): void {
    this.unpriced.push(reason);
  }
}

export function free(reason: string): Priced {
  return { charges: [], unpriced: [], free: reason };
}

export function unpriced(reason: string): Priced {
  return { charges: [], unpriced: [reason] };
}

/**
 * Everything a pricer may read about one template: its resources and how they refer to each other,
 * the price table, the usage assumptions and the hours in a month.
 */
export class PricingContext {
  readonly hours: number;
  private readonly entries: [string, CfnResource][];
  private readonly taskCache = new Map<string, PerScenario>();

  constructor(
    readonly template: CfnTemplate,
    readonly prices: PriceTable,
    readonly usage: Usage,
  ) {
    this.hours = prices.hoursPerMonth;
    this.entries = Object.entries(template.Resources);
  }

  price(key: string, what?: string): number {
    return this.prices.usd(key, what);
  }

  use(key: UsageKey, scenario: Scenario): number {
    return this.usage[key][scenario];
  }

  /** The assumption's figures, for details: `100,000-1,000,000`. */
  assumed(key: UsageKey): string {
    return range(this.usage[key]);
  }

  get(logicalId: string | undefined): CfnResource | undefined {
    return logicalId === undefined ? undefined : this.template.Resources[logicalId];
  }

  ofType(type: string): [string, CfnResource][] {
    return this.entries.filter(([, r]) => r.Type === type);
  }

  /** Resources of `type` whose property `property` refers to `logicalId`. */
  referencing(type: string, logicalId: string, property?: string): [string, CfnResource][] {
    return this.ofType(type).filter(([, r]) => refersTo(property ? r.Properties?.[property] : r.Properties, logicalId));
  }

  /** Distinct AZs of the template's subnets (2 when it has none, the minimum for a VPC stack). */
  get azCount(): number {
    const zones = new Set(this.ofType('AWS::EC2::Subnet').map(([, r]) => JSON.stringify(r.Properties?.AvailabilityZone ?? null)));
    return zones.size > 0 ? zones.size : 2;
  }

  /**
   * Running tasks of an ECS service: the min/max of the Application Auto Scaling target that scales
   * it, else its DesiredCount (1 when absent, as ECS starts it).
   */
  serviceTasks(serviceId: string): PerScenario {
    const cached = this.taskCache.get(serviceId);
    if (cached) return cached;
    const target = this.ofType('AWS::ApplicationAutoScaling::ScalableTarget').find(
      ([, r]) => str(r.Properties?.ScalableDimension) === 'ecs:service:DesiredCount' && refersTo(r.Properties?.ResourceId, serviceId),
    );
    const desired = num(this.get(serviceId)?.Properties?.DesiredCount) ?? 1;
    const tasks = target
      ? { baseline: num(target[1].Properties?.MinCapacity) ?? desired, peak: num(target[1].Properties?.MaxCapacity) ?? desired }
      : { baseline: desired, peak: desired };
    this.taskCache.set(serviceId, tasks);
    return tasks;
  }

  /** Running tasks of every service that runs `taskDefinitionId` (1 when no service does). */
  taskDefinitionTasks(taskDefinitionId: string): PerScenario {
    const services = this.referencing('AWS::ECS::Service', taskDefinitionId, 'TaskDefinition');
    if (services.length === 0) return { baseline: 1, peak: 1 };
    return perScenario((s) => services.reduce((sum, [id]) => sum + this.serviceTasks(id)[s], 0));
  }
}

/** Average days in a month (365 / 12). */
export const DAYS_PER_MONTH = 365 / 12;

/**
 * Months of ingestion a log group holds at steady state: its retention in months, or
 * `neverExpireLogMonths` when it never expires.
 */
export function logStorageMonths(retentionDays: number | undefined, ctx: PricingContext, s: Scenario): number {
  return retentionDays === undefined ? ctx.use('neverExpireLogMonths', s) : retentionDays / DAYS_PER_MONTH;
}
