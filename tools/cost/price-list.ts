// The AWS Price List Query API (pricing:GetProducts) for the keys of our price table: which
// products a key stands for, and how one on-demand USD price is read from the answer.
//
// The response's PriceList is a list of JSON documents, one a product, in the documented shape
// (https://docs.aws.amazon.com/aws-cost-management/latest/APIReference/API_pricing_GetProducts.html;
// the same structure as the bulk price list files, "Reading the service price list file"):
//   { "product": { "sku", "productFamily", "attributes": { "usagetype", "regionCode", ... } },
//     "serviceCode", "publicationDate",
//     "terms": { "OnDemand": { "<sku>.<offerTermCode>": { "priceDimensions": {
//        "<rateCode>": { "unit": "Hrs", "beginRange": "0", "endRange": "Inf", "pricePerUnit": { "USD": "0.0420000000" } } } } } } }
//
// The attribute names and values per service follow infracost's price filters, which query the
// same product catalog (github.com/infracost/infracost, internal/resources/aws: nat_gateway.go,
// lb.go, ecs_service.go, db_instance.go, elasticache_cluster.go, instance.go).

/** One GetProducts question for one key of the price table. */
export interface PriceQuery {
  readonly key: string;
  readonly serviceCode: string;
  /** Attribute = value (TERM_MATCH); the caller adds regionCode. */
  readonly filters: Readonly<Record<string, string>>;
  /**
   * The usage type of the product, without its region prefix (`USE1-`, `EUW1-`; us-east-1 often
   * has none): the filters alone may match a service's neighbours (ARM next to x86, Multi-AZ
   * storage next to Single-AZ).
   */
  readonly usagetype?: string;
  /** The unit of the on-demand price dimension, as the API spells it ('Hrs', 'GB', 'GB-Mo'), where we are sure of it. */
  readonly unit?: string;
}

const deployment = (az: string) => (az === 'multiAz' ? 'Multi-AZ' : 'Single-AZ');

/** The rules from a key of our table to the products it prices; a key no rule matches is kept as it is. */
const RULES: readonly { readonly pattern: RegExp; readonly query: (m: RegExpExecArray) => Omit<PriceQuery, 'key'> }[] = [
  {
    pattern: /^ec2\.([a-z0-9]+\.[a-z0-9]+)\.hour$/,
    query: (m) => ({
      serviceCode: 'AmazonEC2',
      unit: 'Hrs',
      filters: {
        productFamily: 'Compute Instance',
        instanceType: m[1],
        operatingSystem: 'Linux',
        tenancy: 'Shared',
        preInstalledSw: 'NA',
        capacitystatus: 'Used',
      },
    }),
  },
  {
    pattern: /^rds\.postgres\.(db\.[a-z0-9]+\.[a-z0-9]+)\.(singleAz|multiAz)\.hour$/,
    query: (m) => ({
      serviceCode: 'AmazonRDS',
      unit: 'Hrs',
      filters: { productFamily: 'Database Instance', instanceType: m[1], databaseEngine: 'PostgreSQL', deploymentOption: deployment(m[2]) },
    }),
  },
  {
    pattern: /^rds\.postgres\.storage\.gp3\.(singleAz|multiAz)\.gbMonth$/,
    query: (m) => ({
      serviceCode: 'AmazonRDS',
      unit: 'GB-Mo',
      usagetype: m[1] === 'multiAz' ? 'RDS:Multi-AZ-GP3-Storage' : 'RDS:GP3-Storage',
      filters: { productFamily: 'Database Storage', volumeType: 'General Purpose-GP3', databaseEngine: 'Any', deploymentOption: deployment(m[1]) },
    }),
  },
  {
    pattern: /^elasticache\.(valkey|redis)\.(cache\.[a-z0-9]+\.[a-z0-9]+)\.hour$/,
    query: (m) => ({
      serviceCode: 'AmazonElastiCache',
      unit: 'Hrs',
      filters: { productFamily: 'Cache Instance', instanceType: m[2], cacheEngine: m[1] === 'valkey' ? 'Valkey' : 'Redis' },
    }),
  },
  {
    pattern: /^natGateway\.hour$/,
    query: () => ({ serviceCode: 'AmazonEC2', unit: 'Hrs', usagetype: 'NatGateway-Hours', filters: { productFamily: 'NAT Gateway' } }),
  },
  {
    pattern: /^natGateway\.dataProcessed\.gb$/,
    query: () => ({ serviceCode: 'AmazonEC2', unit: 'GB', usagetype: 'NatGateway-Bytes', filters: { productFamily: 'NAT Gateway' } }),
  },
  {
    pattern: /^alb\.hour$/,
    query: () => ({ serviceCode: 'AWSELB', unit: 'Hrs', usagetype: 'LoadBalancerUsage', filters: { productFamily: 'Load Balancer-Application' } }),
  },
  {
    pattern: /^alb\.lcuHour$/,
    query: () => ({ serviceCode: 'AWSELB', usagetype: 'LCUUsage', filters: { productFamily: 'Load Balancer-Application' } }),
  },
  {
    pattern: /^fargate\.(x86|arm)\.(vcpuHour|gbHour)$/,
    query: (m) => ({
      serviceCode: 'AmazonECS',
      filters: { productFamily: 'Compute' },
      usagetype: `Fargate-${m[1] === 'arm' ? 'ARM-' : ''}${m[2] === 'vcpuHour' ? 'vCPU-Hours:perCPU' : 'GB-Hours'}`,
    }),
  },
];

/** The query for a key, or undefined when the table's figure for it comes from elsewhere (an estimate, a page, a derived figure). */
export function queryFor(key: string): PriceQuery | undefined {
  for (const rule of RULES) {
    const m = rule.pattern.exec(key);
    if (m) return { key, ...rule.query(m) };
  }
  return undefined;
}

/** The GetProducts filters of a query in a region. */
export function filtersFor(query: PriceQuery, region: string): { Type: 'TERM_MATCH'; Field: string; Value: string }[] {
  return Object.entries({ ...query.filters, regionCode: region }).map(([Field, Value]) => ({ Type: 'TERM_MATCH', Field, Value }));
}

/** What a product of the answer says about its on-demand price. */
export interface ProductPrice {
  readonly sku: string;
  readonly usagetype: string;
  readonly publicationDate?: string;
  /** The first tier's USD price of each on-demand price dimension, with its unit. */
  readonly dimensions: readonly { readonly unit: string; readonly usd: number; readonly description?: string }[];
}

const isObject = (v: unknown): v is Record<string, unknown> => typeof v === 'object' && v !== null && !Array.isArray(v);

/**
 * One product of a PriceList (a JSON string, or already parsed); undefined when it is not a
 * product in the documented shape. Only on-demand terms are read; a tiered dimension counts by its
 * first tier (beginRange 0), as the table's keys name the first tier.
 */
export function parseProduct(entry: unknown): ProductPrice | undefined {
  let doc: unknown = entry;
  if (typeof entry === 'string') {
    try {
      doc = JSON.parse(entry);
    } catch {
      return undefined;
    }
  }
  if (!isObject(doc) || !isObject(doc.product)) return undefined;
  const attributes = isObject(doc.product.attributes) ? doc.product.attributes : {};
  const onDemand = isObject(doc.terms) && isObject(doc.terms.OnDemand) ? doc.terms.OnDemand : {};
  const dimensions: { unit: string; usd: number; description?: string }[] = [];
  for (const term of Object.values(onDemand)) {
    if (!isObject(term) || !isObject(term.priceDimensions)) continue;
    for (const dimension of Object.values(term.priceDimensions)) {
      if (!isObject(dimension) || !isObject(dimension.pricePerUnit)) continue;
      const begin = Number(dimension.beginRange ?? 0);
      const usd = Number(dimension.pricePerUnit.USD);
      if (begin !== 0 || !Number.isFinite(usd) || typeof dimension.pricePerUnit.USD !== 'string') continue;
      dimensions.push({
        unit: String(dimension.unit ?? ''),
        usd,
        ...(typeof dimension.description === 'string' ? { description: dimension.description } : {}),
      });
    }
  }
  return {
    sku: String(doc.product.sku ?? ''),
    usagetype: String(attributes.usagetype ?? ''),
    ...(typeof doc.publicationDate === 'string' ? { publicationDate: doc.publicationDate } : {}),
    dimensions,
  };
}

/** Whether a product's usage type is the query's, whatever its region prefix. */
export function usagetypeMatches(actual: string, wanted: string): boolean {
  return actual === wanted || new RegExp(`^([A-Z]{3}\\d|EU|Global)-${wanted.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}$`).test(actual);
}

/** The one price a query's products agree on, or why there is none. */
export type Answer =
  | { readonly ok: true; readonly usd: number; readonly products: readonly ProductPrice[]; readonly unit: string }
  | { readonly ok: false; readonly reason: string };

/** Reads the query's price from the products GetProducts returned. */
export function priceFrom(query: PriceQuery, products: readonly ProductPrice[]): Answer {
  const candidates = products.filter((p) => query.usagetype === undefined || usagetypeMatches(p.usagetype, query.usagetype));
  if (candidates.length === 0) {
    return {
      ok: false,
      reason: products.length === 0 ? 'no product matches' : `${products.length} product(s), none with usage type ${query.usagetype}`,
    };
  }
  const dims = candidates.flatMap((p) =>
    p.dimensions.filter((d) => query.unit === undefined || d.unit === query.unit).map((d) => ({ product: p, ...d })),
  );
  if (dims.length === 0) {
    const units = [...new Set(candidates.flatMap((p) => p.dimensions.map((d) => d.unit)))];
    return { ok: false, reason: `no on-demand price${query.unit ? ` in ${query.unit}` : ''} (units found: ${units.join(', ') || 'none'})` };
  }
  const distinct = [...new Set(dims.map((d) => d.usd))];
  if (distinct.length > 1) {
    return { ok: false, reason: `ambiguous: ${dims.map((d) => `SKU ${d.product.sku} (${d.product.usagetype}) $${d.usd}/${d.unit}`).join(', ')}` };
  }
  return { ok: true, usd: distinct[0], unit: dims[0].unit, products: [...new Set(dims.map((d) => d.product))] };
}
