import type { CfnResource } from '../template';
import { str } from '../template';
import { Bill, free, type PricingContext, type Priced, unpriced, usd } from './context';

/** Secrets Manager secret: per secret and replica a month, plus API calls. */
export function secret(_id: string, r: CfnResource, ctx: PricingContext): Priced {
  const replicas = Array.isArray(r.Properties?.ReplicaRegions) ? r.Properties.ReplicaRegions.length : 0;
  const bill = new Bill();
  bill.add(
    'Secrets Manager secret',
    () => `${1 + replicas} secret(s) incl. replicas x ${usd(ctx.price('secretsManager.secret.month'))}/month`,
    () => (1 + replicas) * ctx.price('secretsManager.secret.month'),
  );
  bill.add(
    'Secrets Manager API calls',
    () => `secretApiCallsPerSecret ${ctx.assumed('secretApiCallsPerSecret')} x ${usd(ctx.price('secretsManager.api.per10k'))}/10k`,
    (s) => (ctx.use('secretApiCallsPerSecret', s) / 1e4) * ctx.price('secretsManager.api.per10k'),
  );
  return bill;
}

/** KMS customer-managed key: a month per key, plus symmetric requests. */
export function kmsKey(_id: string, r: CfnResource, ctx: PricingContext): Priced {
  const spec = str(r.Properties?.KeySpec) ?? 'SYMMETRIC_DEFAULT';
  const bill = new Bill();
  bill.add(
    'KMS key',
    () => `1 x ${usd(ctx.price('kms.customerManagedKey.month'))}/month (rotation adds up to $2/month from the second year)`,
    () => ctx.price('kms.customerManagedKey.month'),
  );
  if (spec === 'SYMMETRIC_DEFAULT') {
    bill.add(
      'KMS requests',
      () => `kmsRequestsPerKey ${ctx.assumed('kmsRequestsPerKey')} x ${usd(ctx.price('kms.requests.symmetric.per10k'))}/10k`,
      (s) => (ctx.use('kmsRequestsPerKey', s) / 1e4) * ctx.price('kms.requests.symmetric.per10k'),
    );
  } else {
    bill.cannot(`requests to a ${spec} key are not in the price table`);
  }
  return bill;
}

/** S3 bucket: standard storage and PUT requests (access logs, artifacts). */
export function s3Bucket(_id: string, _r: CfnResource, ctx: PricingContext): Priced {
  const bill = new Bill();
  bill.add(
    'S3 storage',
    () => `s3StorageGbPerBucket ${ctx.assumed('s3StorageGbPerBucket')} GB x ${usd(ctx.price('s3.standard.first50TB.gbMonth'))}/GB-month`,
    (s) => ctx.use('s3StorageGbPerBucket', s) * ctx.price('s3.standard.first50TB.gbMonth'),
  );
  bill.add(
    'S3 requests',
    () => `s3PutRequestsPerBucket ${ctx.assumed('s3PutRequestsPerBucket')} x ${usd(ctx.price('s3.standard.putCopyPostList.per1000'))}/1k`,
    (s) => (ctx.use('s3PutRequestsPerBucket', s) / 1000) * ctx.price('s3.standard.putCopyPostList.per1000'),
  );
  return bill;
}

/** SSM parameters: the standard tier is free; advanced ones are not in the table. */
export function ssmParameter(_id: string, r: CfnResource): Priced {
  const tier = str(r.Properties?.Tier) ?? 'Standard';
  return tier === 'Standard' ? free('standard-tier parameters are free') : unpriced(`'${tier}' parameters are not in the price table`);
}
