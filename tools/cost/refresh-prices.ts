// `npm run prices:refresh`: refreshes the price table from the AWS Price List Query API where AWS
// credentials exist, keeping the table's format: the same keys, units and sources, each refreshed
// note starting with asOf=<today> and the product it was read from, the rest untouched. Figures
// that have no Price List query here (Spot estimates, figures from pricing pages) stay as they are
// and are listed.
//
//   npm run prices:refresh -- [--region <region>] [--only <prefix,...>] [--dry-run] [--out <file>] [--prices <file>]
//
// Exit codes: 0 refreshed (or nothing to refresh), 1 AWS refused (no credentials, no access), 2 bad input.
import * as fs from 'node:fs';
import * as path from 'node:path';
import type { GetProductsCommandInput, GetProductsCommandOutput } from '@aws-sdk/client-pricing';
import { consoleIo, defineCommand, EXIT, ExternalFailure, guard, UsageError, type Io } from '../shared/cli';
import { filtersFor, parseProduct, priceFrom, queryFor, type Answer, type PriceQuery, type ProductPrice } from './price-list';
import { DEFAULT_PRICES_FILE, loadPriceTable } from './prices';
import { Limiter } from './synth';

export const COMMAND = defineCommand({
  usage: 'npm run prices:refresh -- [options]',
  options: {
    region: { type: 'string', placeholder: '<region>', help: "the region to read prices for (default: the table's own, us-east-1)" },
    prices: {
      type: 'string',
      placeholder: '<file>',
      default: DEFAULT_PRICES_FILE,
      help: 'the table to start from (default: lib/core/prices/prices-us-east-1.json)',
    },
    out: {
      type: 'string',
      placeholder: '<file>',
      help: 'where to write (default: the table itself for its own region, lib/core/prices/prices-<region>.json for another)',
    },
    only: {
      type: 'string',
      list: true,
      placeholder: '<prefix>',
      help: 'refresh only the keys starting with these prefixes (comma-separated, e.g. rds.,natGateway.)',
    },
    'dry-run': { type: 'boolean', help: 'print what would change and write nothing' },
  },
});

const REGION = /^[a-z]{2}(-[a-z]+)+-\d{1,2}$/;

/** The GetProducts call (the SDK in `main`, recorded answers in tests). */
export type GetProducts = (input: GetProductsCommandInput) => Promise<Pick<GetProductsCommandOutput, 'PriceList' | 'NextToken'>>;

/** Pages of one query at most: a query here matches one or a few products, so more means a query too wide. */
const MAX_PAGES = 5;

/** Every product GetProducts returns for a query, over its pages. */
export async function fetchProducts(getProducts: GetProducts, query: PriceQuery, region: string): Promise<ProductPrice[]> {
  const products: ProductPrice[] = [];
  let token: string | undefined;
  for (let page = 0; page < MAX_PAGES; page++) {
    const answer = await getProducts({
      ServiceCode: query.serviceCode,
      Filters: filtersFor(query, region),
      FormatVersion: 'aws_v1',
      MaxResults: 100,
      NextToken: token,
    });
    const list = typeof answer.PriceList === 'string' ? JSON.parse(answer.PriceList) : (answer.PriceList ?? []);
    for (const entry of Array.isArray(list) ? list : []) {
      const product = parseProduct(entry);
      if (product) products.push(product);
    }
    token = answer.NextToken;
    if (!token) break;
  }
  return products;
}

interface TableJson {
  region: string;
  compiled: string;
  origin?: string;
  prices: Record<string, { usd: number; unit: string; source: string; note?: string }>;
  [key: string]: unknown;
}

/** What a refresh did to each key. */
export interface RefreshReport {
  readonly region: string;
  readonly changed: { key: string; from: number; to: number; sku: string }[];
  readonly confirmed: string[];
  readonly failed: { key: string; reason: string }[];
  /** Keys with no Price List query: their figures come from elsewhere. */
  readonly notQueried: string[];
}

// A note this tool wrote starts with one of these; a later refresh replaces it and keeps what came after "Earlier: ".
const OUR_NOTE =
  /^asOf=\S+ (?:\(AWS Price List API GetProducts[^)]*\)\. confidence=high\.|NOT refreshed for [a-z0-9-]+: [^.]*\. confidence=low\.)(?: Earlier: )?/;

function earlier(note: string | undefined): string {
  const original = (note ?? '').replace(OUR_NOTE, '');
  return original === '' ? '' : ` Earlier: ${original}`;
}

function refreshedNote(note: string | undefined, date: string, query: PriceQuery, region: string, answer: Extract<Answer, { ok: true }>): string {
  const product = answer.products[0];
  const published = product.publicationDate ? `, price list published ${product.publicationDate.slice(0, 10)}` : '';
  return (
    `asOf=${date} (AWS Price List API GetProducts, ${query.serviceCode} in ${region}: SKU ${answer.products.map((p) => p.sku).join(', ')}, ` +
    `usagetype ${product.usagetype}, per ${answer.unit}${published}). confidence=high.${earlier(note)}`
  );
}

/**
 * The table refreshed for `region` from the answers of the Price List API: each key with a query
 * and one agreed price gets it (and a note saying from which product, when); the others keep their
 * figure. In another region than the table's, a figure that could not be refreshed is marked as the
 * old region's.
 */
export async function refreshTable(
  table: TableJson,
  region: string,
  getProducts: GetProducts,
  options: { date: string; only?: readonly string[] },
): Promise<{ table: TableJson; report: RefreshReport }> {
  const keys = Object.keys(table.prices).filter((key) => !options.only?.length || options.only.some((prefix) => key.startsWith(prefix)));
  const report: RefreshReport = { region, changed: [], confirmed: [], failed: [], notQueried: [] };
  const prices = { ...table.prices };
  const limiter = new Limiter(4);
  const answers = await Promise.all(
    keys.map((key) => {
      const query = queryFor(key);
      return query
        ? limiter.run(async () => ({ key, query, answer: priceFrom(query, await fetchProducts(getProducts, query, region)) }))
        : Promise.resolve({ key, query, answer: undefined });
    }),
  );
  const elsewhere = region !== table.region;
  for (const { key, query, answer } of answers) {
    const entry = table.prices[key];
    if (query && answer?.ok) {
      // A unit marked as an estimate is one no longer: the figure is AWS's own now.
      prices[key] = {
        ...entry,
        usd: answer.usd,
        unit: entry.unit.replace(/\s*\(ESTIMATE\)$/, ''),
        note: refreshedNote(entry.note, options.date, query, region, answer),
      };
      if (answer.usd !== entry.usd) report.changed.push({ key, from: entry.usd, to: answer.usd, sku: answer.products.map((p) => p.sku).join(', ') });
      else report.confirmed.push(key);
      continue;
    }
    if (query && answer && !answer.ok) report.failed.push({ key, reason: answer.reason });
    else report.notQueried.push(key);
    if (elsewhere) {
      const why = query ? 'the Price List API gave no single price' : 'no Price List query for it';
      prices[key] = {
        ...entry,
        note: `asOf=${options.date} NOT refreshed for ${region}: ${table.region}'s figure, kept as it was (${why}). confidence=low.${earlier(entry.note)}`,
      };
    }
  }
  if (elsewhere) {
    // Outside --only: still the old region's figures, and the new table must say so.
    for (const key of Object.keys(table.prices).filter((k) => !keys.includes(k))) {
      prices[key] = {
        ...table.prices[key],
        note: `asOf=${options.date} NOT refreshed for ${region}: ${table.region}'s figure, kept as it was (not selected by --only). confidence=low.${earlier(table.prices[key].note)}`,
      };
    }
  }
  const refreshed = report.changed.length + report.confirmed.length;
  const origin = String(table.origin ?? '').replace(/^refreshed from the AWS Price List API .*?; the others as before: /, '');
  return {
    table: {
      ...table,
      region,
      ...(refreshed > 0
        ? {
            compiled: options.date,
            origin: `refreshed from the AWS Price List API (GetProducts, ${region}) on ${options.date}: ${refreshed} of ${Object.keys(table.prices).length} prices; the others as before: ${origin}`,
          }
        : {}),
      prices,
    },
    report,
  };
}

// --- Writing the table as it is written today --------------------------------------------------

/**
 * A float the way Python's json module writes it (repr): `15.0`, `0.0042`, `1.33334e-05`. The
 * table was written by Python; writing numbers the same way keeps an unchanged figure's line
 * unchanged in git.
 */
export function pythonFloat(n: number): string {
  if (!Number.isFinite(n)) throw new Error(`${n} is not a finite number`);
  if (n === 0) return Object.is(n, -0) ? '-0.0' : '0.0';
  const [mantissa, exponentText] = n.toExponential().split('e');
  const exponent = Number(exponentText);
  const sign = n < 0 ? '-' : '';
  const digits = mantissa.replace('-', '').replace('.', '');
  if (exponent < -4 || exponent >= 16) {
    const body = digits.length > 1 ? `${digits[0]}.${digits.slice(1)}` : digits;
    return `${sign}${body}e${exponent < 0 ? '-' : '+'}${String(Math.abs(exponent)).padStart(2, '0')}`;
  }
  if (exponent < 0) return `${sign}0.${'0'.repeat(-exponent - 1)}${digits}`;
  const whole = digits.slice(0, exponent + 1).padEnd(exponent + 1, '0');
  const fraction = digits.slice(exponent + 1);
  return `${sign}${whole}.${fraction || '0'}`;
}

/** JSON text with two-space indentation, non-ASCII escaped and `usd` as a float, as Python's json.dumps(indent=2) writes it. */
export function formatPriceTable(value: unknown, indent = '', key = ''): string {
  const inner = `${indent}  `;
  if (Array.isArray(value)) {
    return value.length === 0 ? '[]' : `[\n${value.map((v) => `${inner}${formatPriceTable(v, inner)}`).join(',\n')}\n${indent}]`;
  }
  if (typeof value === 'object' && value !== null) {
    const entries = Object.entries(value);
    return entries.length === 0
      ? '{}'
      : `{\n${entries.map(([k, v]) => `${inner}${asciiJson(k)}: ${formatPriceTable(v, inner, k)}`).join(',\n')}\n${indent}}`;
  }
  if (typeof value === 'number') return key === 'usd' || !Number.isInteger(value) ? pythonFloat(value) : String(value);
  if (typeof value === 'string') return asciiJson(value);
  return JSON.stringify(value);
}

function asciiJson(text: string): string {
  return JSON.stringify(text).replace(/[\u007f-\uffff]/g, (c) => `\\u${c.charCodeAt(0).toString(16).padStart(4, '0')}`);
}

// --- The command --------------------------------------------------------------------------------

/** The report, for the terminal. */
export function renderRefresh(report: RefreshReport, written: string | undefined): string {
  const lines = [
    `Price List API, ${report.region}: ${report.changed.length} price(s) changed, ${report.confirmed.length} confirmed, ${report.failed.length} not found, ${report.notQueried.length} not queried`,
  ];
  for (const c of report.changed) lines.push(`  changed   ${c.key}: ${c.from} -> ${c.to} (SKU ${c.sku})`);
  for (const f of report.failed) lines.push(`  not found ${f.key}: ${f.reason}; kept as it was`);
  if (report.notQueried.length > 0) {
    lines.push(`  not queried (estimates or figures from pricing pages; see PRICES.md): ${report.notQueried.join(', ')}`);
  }
  lines.push(written ? `Wrote ${written}.` : 'Dry run: nothing written.');
  return lines.join('\n');
}

export interface RefreshDependencies {
  readonly getProducts?: () => Promise<GetProducts>;
  readonly today?: () => string;
}

/** Runs the tool; returns the exit code. */
export async function main(argv: readonly string[], io: Io = consoleIo, deps: RefreshDependencies = {}): Promise<number> {
  return guard('prices:refresh', io, async () => {
    const options = COMMAND.parse(argv);
    if (options.help) {
      io.out(COMMAND.helpText);
      return EXIT.ok;
    }
    loadPriceTable(options.prices); // every way the table can be malformed, said before AWS is asked
    const table = JSON.parse(fs.readFileSync(options.prices, 'utf8')) as TableJson;
    const region = options.region ?? table.region;
    if (!REGION.test(region)) throw new UsageError(`--region '${region}' is not an AWS region name such as 'us-east-1' or 'eu-west-1'`);
    const known = options.only.filter((prefix) => Object.keys(table.prices).some((key) => key.startsWith(prefix)));
    if (options.only.length > 0 && known.length < options.only.length) {
      throw new UsageError(
        `--only ${options.only
          .filter((p) => !known.includes(p))
          .map((p) => `'${p}'`)
          .join(
            ', ',
          )} matches no key of ${options.prices}; keys start with ${[...new Set(Object.keys(table.prices).map((k) => `${k.split('.')[0]}.`))].join(', ')}`,
      );
    }
    const getProducts = await (deps.getProducts ?? sdkGetProducts)();
    const date = (deps.today ?? (() => new Date().toISOString().slice(0, 10)))();
    let result: Awaited<ReturnType<typeof refreshTable>>;
    try {
      result = await refreshTable(table, region, getProducts, { date, only: options.only });
    } catch (error) {
      if (error instanceof TypeError || error instanceof ReferenceError || !(error instanceof Error)) throw error;
      const credentials = error.name === 'CredentialsProviderError' || /credential/i.test(error.message);
      throw new ExternalFailure(
        credentials
          ? `no AWS credentials (${error.message}); the Price List API needs an identity allowed pricing:GetProducts (set AWS_PROFILE, or AWS_ACCESS_KEY_ID and AWS_SECRET_ACCESS_KEY). Nothing was written.`
          : `the Price List API refused: ${error.name}: ${error.message}. Nothing was written.`,
        { cause: error },
      );
    }
    const out = options.out ?? (region === table.region ? options.prices : path.join(path.dirname(options.prices), `prices-${region}.json`));
    if (!options['dry-run']) fs.writeFileSync(out, `${formatPriceTable(result.table)}\n`);
    io.out(renderRefresh(result.report, options['dry-run'] ? undefined : out));
    return EXIT.ok;
  });
}

/** The SDK's GetProducts. The Price List API answers in us-east-1 (and two other regions) for every region's prices. */
async function sdkGetProducts(): Promise<GetProducts> {
  const { PricingClient, GetProductsCommand } = await import('@aws-sdk/client-pricing');
  const client = new PricingClient({ region: 'us-east-1' });
  return (input) => client.send(new GetProductsCommand(input));
}

if (require.main === module) {
  main(process.argv.slice(2)).then((code) => {
    process.exitCode = code;
  });
}
