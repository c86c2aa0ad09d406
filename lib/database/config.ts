import { Token } from 'aws-cdk-lib';
import * as ec2 from 'aws-cdk-lib/aws-ec2';
import type * as logs from 'aws-cdk-lib/aws-logs';
import * as rds from 'aws-cdk-lib/aws-rds';
import type { Construct } from 'constructs';
import {
  DEFAULT_DATABASE_NAME,
  ENHANCED_MONITORING_INTERVALS,
  GRAVITON_INSTANCE_CLASSES,
  minStorageCeiling,
  type InstanceClassSpec,
} from '../core/database';
import { unknownInstanceClassMessage, type TunedParameter } from '../core/postgres/tuning';
import { Problems } from '../private/problems';
import {
  DEFAULT_ALLOCATED_STORAGE_GIB,
  DEFAULT_BACKUP_RETENTION_DAYS,
  DEFAULT_EXPECTED_CONNECTIONS,
  DEFAULT_INSTANCE_CLASS,
  DEFAULT_LOG_RETENTION,
  DEFAULT_MAX_ALLOCATED_STORAGE_GIB,
  DEFAULT_SLOW_QUERY_THRESHOLD,
  POSTGRES_ENGINE_VERSION,
} from './defaults';
import { checkEngineVersion, tuneParameters } from './parameters';
import type { DatabaseInsightsModeName, DatabaseProps } from './props';

/** A Database's props with every default applied and every value checked. */
export interface DatabaseConfig {
  readonly instanceClass: string;
  readonly spec: InstanceClassSpec;
  readonly engine: rds.IInstanceEngine;
  readonly databaseName: string;
  readonly vpcSubnets: ec2.SubnetSelection;
  readonly multiAz: boolean;
  readonly allocatedStorageGiB: number;
  readonly maxAllocatedStorageGiB: number;
  readonly backupRetentionDays: number;
  readonly deletionProtection: boolean;
  readonly rotateCredentials: boolean;
  readonly customerManagedKey: boolean;
  readonly monitoringSeconds: number;
  readonly insights: DatabaseInsightsModeName;
  readonly logRetention: logs.RetentionDays;
  readonly proxy: boolean;
  readonly proxyRequireIamAuth: boolean;
  /** Every parameter of the parameter group: the tuned values with the overrides applied. */
  readonly parameters: readonly TunedParameter[];
}

/**
 * Resolves the defaults once and checks everything before a resource exists: every problem of the
 * props (the parameter overrides included) is reported in one error.
 */
export function resolveDatabaseConfig(scope: Construct, props: DatabaseProps): DatabaseConfig {
  const instanceClass = props.instanceClass ?? DEFAULT_INSTANCE_CLASS;
  const engineVersion = props.engineVersion ?? POSTGRES_ENGINE_VERSION;
  const allocatedStorageGiB = props.allocatedStorageGiB ?? DEFAULT_ALLOCATED_STORAGE_GIB;
  const maxAllocatedStorageGiB = props.maxAllocatedStorageGiB ?? DEFAULT_MAX_ALLOCATED_STORAGE_GIB;
  const backupRetentionDays = props.backupRetentionDays ?? DEFAULT_BACKUP_RETENTION_DAYS;
  const monitoringSeconds = props.enhancedMonitoringIntervalSeconds ?? 0;
  const insights = props.databaseInsights ?? 'standard';
  const expectedConnections = props.expectedConnections ?? DEFAULT_EXPECTED_CONNECTIONS;
  const databaseName = props.databaseName ?? DEFAULT_DATABASE_NAME;
  const slowQueryMs = (props.slowQueryThreshold ?? DEFAULT_SLOW_QUERY_THRESHOLD).toMilliseconds();

  const p = new Problems(scope.node.path);
  const spec = GRAVITON_INSTANCE_CLASSES[instanceClass];
  if (Token.isUnresolved(instanceClass)) {
    p.add("instanceClass is an unresolved token; pass the class name itself (e.g. 'db.r7g.large'): the parameters are computed from it at synth");
  } else if (!spec) {
    p.add(unknownInstanceClassMessage(instanceClass));
  }
  const engine = rds.DatabaseInstanceEngine.postgres({ version: engineVersion });
  checkEngineVersion(p, engineVersion, engine.parameterGroupFamily);
  p.range('allocatedStorageGiB', allocatedStorageGiB, 20, 65536, { integer: true, unit: 'GiB', fix: 'gp3 on RDS starts at 20 GiB' });
  p.range('maxAllocatedStorageGiB', maxAllocatedStorageGiB, 20, 65536, { integer: true, unit: 'GiB' });
  p.notAbove('allocatedStorageGiB', allocatedStorageGiB, 'maxAllocatedStorageGiB', maxAllocatedStorageGiB);
  p.check(
    !(maxAllocatedStorageGiB > allocatedStorageGiB && maxAllocatedStorageGiB < minStorageCeiling(allocatedStorageGiB)),
    `maxAllocatedStorageGiB (${maxAllocatedStorageGiB}) must be at least 10% above allocatedStorageGiB (${allocatedStorageGiB}), i.e. ${minStorageCeiling(allocatedStorageGiB)} or more, for storage autoscaling; raise it, or set it equal to allocatedStorageGiB to turn autoscaling off`,
  );
  p.check(
    Token.isUnresolved(databaseName) || /^[A-Za-z][A-Za-z0-9_]{0,62}$/.test(databaseName),
    `databaseName ('${databaseName}') must start with a letter and hold only letters, digits and underscores, at most 63 characters (an RDS for PostgreSQL DBName)`,
  );
  p.range('backupRetentionDays', backupRetentionDays, 0, 35, { integer: true, fix: 'RDS keeps automated backups for 0 (off) to 35 days' });
  p.oneOf('enhancedMonitoringIntervalSeconds', monitoringSeconds, ENHANCED_MONITORING_INTERVALS as readonly number[]);
  p.oneOf('databaseInsights', insights, ['standard', 'advanced']);
  p.range('expectedConnections', expectedConnections, 1, 100_000, { integer: true });
  p.range('proxyMaxConnectionsPercent', props.proxyMaxConnectionsPercent, 1, 100, { integer: true });
  p.range('slowQueryThreshold (ms)', slowQueryMs, 1, 3_600_000, { integer: true });
  const parameters = tuneParameters(
    p,
    spec ? instanceClass : undefined,
    {
      expectedConnections,
      allocatedStorageGiB,
      slowQueryMs,
    },
    props.parameterOverrides ?? {},
  );
  p.throwIfAny();

  return {
    instanceClass,
    spec,
    engine,
    databaseName,
    vpcSubnets: props.vpcSubnets ?? {
      subnetType: props.vpc.isolatedSubnets.length >= 2 ? ec2.SubnetType.PRIVATE_ISOLATED : ec2.SubnetType.PRIVATE_WITH_EGRESS,
    },
    multiAz: props.multiAz ?? false,
    allocatedStorageGiB,
    maxAllocatedStorageGiB,
    backupRetentionDays,
    deletionProtection: props.deletionProtection ?? true,
    rotateCredentials: props.rotateCredentials ?? true,
    customerManagedKey: props.customerManagedKey ?? false,
    monitoringSeconds,
    insights,
    logRetention: props.logRetention ?? DEFAULT_LOG_RETENTION,
    proxy: props.proxy ?? false,
    proxyRequireIamAuth: props.proxyRequireIamAuth ?? true,
    parameters,
  };
}
