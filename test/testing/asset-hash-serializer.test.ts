import { ASSET_HASH_PLACEHOLDER, assetHashSerializer, normalizeAssetHashes, normalizeTemplate } from '../../lib/testing';

const HASH = 'f178182c7c3aac6ad18bdaae53a2d38f72b2cf690d17b9efa635c7ce37f77d71';

describe('asset hash normalization', () => {
  test('replaces sha256 asset hashes in S3 keys and metadata', () => {
    expect(normalizeAssetHashes(`${HASH}.zip`)).toBe(`${ASSET_HASH_PLACEHOLDER}.zip`);
    expect(normalizeAssetHashes(`asset.${HASH}`)).toBe(`asset.${ASSET_HASH_PLACEHOLDER}`);
  });

  test('replaces the hash suffix of Lambda version logical IDs, keys included', () => {
    const template = { Resources: { ['FnCurrentVersion0123456789abcdef0123456789abcdef']: { Properties: { S3Key: `${HASH}.zip` } } } };
    expect(normalizeTemplate(template)).toEqual({
      Resources: { [`FnCurrentVersion${ASSET_HASH_PLACEHOLDER}`]: { Properties: { S3Key: `${ASSET_HASH_PLACEHOLDER}.zip` } } },
    });
  });

  test('leaves ordinary strings and short hex alone', () => {
    expect(normalizeAssetHashes('Vpc8378EB38')).toBe('Vpc8378EB38');
    expect(assetHashSerializer.test('deadbeef')).toBe(false);
    expect(assetHashSerializer.test(42)).toBe(false);
  });

  test('as a Jest snapshot serializer, two templates differing only in asset hash print the same', () => {
    expect.addSnapshotSerializer(assetHashSerializer);
    const a = { Code: { S3Key: `${HASH}.zip` } };
    const b = { Code: { S3Key: `${'0'.repeat(64)}.zip` } };
    expect(assetHashSerializer.test(a.Code.S3Key)).toBe(true);
    expect(a).toMatchInlineSnapshot(`
{
  "Code": {
    "S3Key": "[ASSET HASH].zip",
  },
}
`);
    expect(b).toMatchInlineSnapshot(`
{
  "Code": {
    "S3Key": "[ASSET HASH].zip",
  },
}
`);
  });
});
