import * as path from 'node:path';
import { estimate, type Estimate, type LineItem } from '../../../tools/cost/estimate';
import { loadPriceTable } from '../../../tools/cost/prices';
import { readTemplate, type NamedTemplate } from '../../../tools/cost/template';
import { type Usage, UsageAssumptions } from '../../../tools/cost/usage';

export const FIXTURES = path.join(__dirname, 'fixtures');
export const prices = loadPriceTable();
/** Every assumption at a round figure (fixtures/usage.json), whatever the shipped defaults say. */
export const usage: Usage = UsageAssumptions.load().withOverrides(path.join(FIXTURES, 'usage.json')).forProfile('fixture');
export const HOURS = 730;

export function fixture(name: string): NamedTemplate {
  return readTemplate(path.join(FIXTURES, `${name}.template.json`));
}

/** The estimate of one fixture template at the fixture usage. */
export function priceFixture(name: string, withUsage: Usage = usage): Estimate {
  return estimate('fixture', [fixture(name)], prices, withUsage);
}

/** The one line item of `resource` whose item starts with `item`. */
export function line(result: Estimate, resource: string, item: string): LineItem {
  const found = result.tiers.flatMap((t) => t.items).filter((i) => i.resource === resource && i.item.startsWith(item));
  if (found.length !== 1) {
    const all = result.tiers
      .flatMap((t) => t.items)
      .map((i) => `${i.resource}: ${i.item}`)
      .join('\n  ');
    throw new Error(`expected one '${item}' line of ${resource}, found ${found.length}; lines:\n  ${all}`);
  }
  return found[0];
}

/** Every line item of `resource`, as item -> [baseline, peak]. */
export function linesOf(result: Estimate, resource: string): Record<string, [number, number]> {
  return Object.fromEntries(
    result.tiers
      .flatMap((t) => t.items)
      .filter((i) => i.resource === resource)
      .map((i) => [i.item, [i.baseline, i.peak]]),
  );
}

/** Asserts baseline and peak to the cent's hundredth. */
export function expectUsd(item: { baseline: number; peak: number }, baseline: number, peak: number = baseline): void {
  expect(item.baseline).toBeCloseTo(baseline, 4);
  expect(item.peak).toBeCloseTo(peak, 4);
}
