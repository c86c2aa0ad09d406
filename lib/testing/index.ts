/**
 * Helpers for users' own infrastructure tests. Import from 'cdk-scaling-stack/testing'.
 *
 * Snapshot tests of CDK templates break whenever a Lambda's code or an asset changes, because asset
 * hashes appear in S3 keys, image tags and metadata. The serializer below replaces them, so a
 * snapshot changes only when the infrastructure does:
 *
 *   expect.addSnapshotSerializer(assetHashSerializer);
 *   expect(Template.fromStack(stack).toJSON()).toMatchSnapshot();
 */

/** Placeholder written where an asset hash was. */
export const ASSET_HASH_PLACEHOLDER = '[ASSET HASH]';

// sha256 asset hashes (64 hex), and the md5 suffix CDK appends to Lambda version logical IDs.
const ASSET_HASH = /[0-9a-f]{64}/g;
const VERSION_ID = /(CurrentVersion)[0-9a-f]{32}/g;

/** Replaces every asset hash in `text`. */
export function normalizeAssetHashes(text: string): string {
  return text.replace(ASSET_HASH, ASSET_HASH_PLACEHOLDER).replace(VERSION_ID, `$1${ASSET_HASH_PLACEHOLDER}`);
}

/** A deep copy of a synthesized template (or any JSON value) with asset hashes replaced, keys included. */
export function normalizeTemplate<T>(template: T): T {
  return JSON.parse(normalizeAssetHashes(JSON.stringify(template))) as T;
}

/**
 * A Jest (and Vitest) snapshot serializer that prints every string with its asset hashes replaced.
 * It matches strings only, so it composes with any object and any other serializer.
 */
export const assetHashSerializer = {
  test(value: unknown): boolean {
    if (typeof value !== 'string') return false;
    ASSET_HASH.lastIndex = 0;
    VERSION_ID.lastIndex = 0;
    return ASSET_HASH.test(value) || VERSION_ID.test(value);
  },
  serialize<Config, Refs>(
    value: string,
    config: Config,
    indentation: string,
    depth: number,
    refs: Refs,
    printer: (value: unknown, config: Config, indentation: string, depth: number, refs: Refs) => string,
  ): string {
    return printer(normalizeAssetHashes(value), config, indentation, depth, refs);
  },
};
