import { Token } from 'aws-cdk-lib';
import * as ec2 from 'aws-cdk-lib/aws-ec2';
import { Cache, type CacheEvictionPolicy, type CacheProps } from '../../lib';
import { userStack } from '../helpers/app';

// Construction throws before anything is synthesized, so every case builds its own small stack.
function errorFrom(props: Partial<CacheProps> | ((vpc: ec2.IVpc) => Partial<CacheProps>)): string {
  // GIVEN a user's stack and VPC
  const stack = userStack();
  const vpc = new ec2.Vpc(stack, 'Vpc', {
    maxAzs: 2,
    natGateways: 0,
    subnetConfiguration: [{ name: 'Data', subnetType: ec2.SubnetType.PRIVATE_ISOLATED }],
  });
  // WHEN
  try {
    new Cache(stack, 'Cache', { vpc, ...(typeof props === 'function' ? props(vpc) : props) });
  } catch (error) {
    return (error as Error).message;
  }
  return 'no error';
}

describe('Cache rejects bad input at synth time', () => {
  test("an unknown size of a known node family lists the family's sizes", () => {
    expect(errorFrom({ nodeType: 'cache.r7g.huge' })).toBe(
      "UserStack/Cache: nodeType ('cache.r7g.huge') is not a size ElastiCache offers for Valkey; cache.r7g comes in large, xlarge, 2xlarge, 4xlarge, 8xlarge, 12xlarge, 16xlarge",
    );
  });

  test('an unknown node family lists the families', () => {
    expect(errorFrom({ nodeType: 'cache.x9.large' })).toBe(
      "UserStack/Cache: nodeType ('cache.x9.large') is not a node type ElastiCache offers for Valkey; use a current-generation type of cache.t3, cache.t4g, cache.m5, cache.m6g, cache.m7g, cache.r5, cache.r6g, cache.r7g, cache.c7gn (sizes in VALKEY_NODE_TYPES)",
    );
  });

  test('Multi-AZ with a single node', () => {
    expect(errorFrom({ multiAz: true })).toBe(
      'UserStack/Cache: multiAz needs a replica to fail over to, but nodes is 1; set nodes to 2 or more, or multiAz false',
    );
  });

  test('more nodes than a group without cluster mode holds', () => {
    expect(errorFrom({ nodes: 7 })).toBe(
      'UserStack/Cache: nodes (7) must be between 1 and 6; one primary and up to five replicas; use clusterMode for more',
    );
  });

  test('cluster mode with shard and replica counts out of range', () => {
    expect(errorFrom({ clusterMode: { shards: 0, replicasPerShard: 6 } })).toBe(
      [
        'UserStack/Cache: 2 problems:',
        '  - clusterMode.shards (0) must be between 1 and 500',
        '  - clusterMode.replicasPerShard (6) must be between 0 and 5',
      ].join('\n'),
    );
  });

  test('cluster mode with more nodes than a cluster holds', () => {
    expect(errorFrom({ clusterMode: { shards: 300, replicasPerShard: 1 } })).toBe(
      'UserStack/Cache: clusterMode has 600 nodes (300 shards x 2 nodes); a cluster holds at most 500 (90 under the default quota); use fewer shards or replicas',
    );
  });

  test('cluster mode with Multi-AZ but no replicas, and a node count besides', () => {
    expect(errorFrom({ clusterMode: { shards: 3, replicasPerShard: 0 }, nodes: 2, multiAz: true })).toBe(
      [
        'UserStack/Cache: 2 problems:',
        '  - nodes (2) and clusterMode are both set; with cluster mode the group has clusterMode.shards x (1 + clusterMode.replicasPerShard) nodes, so remove nodes',
        '  - multiAz needs a replica in every shard to fail over to, but clusterMode.replicasPerShard is 0; set it to 1 or more, or multiAz false',
      ].join('\n'),
    );
  });

  test('transit encryption turned off', () => {
    expect(errorFrom({ transitEncryption: false })).toBe(
      'UserStack/Cache: transitEncryption is false, but ElastiCache requires encryption in transit for every Valkey replication group; remove the prop (it defaults to true) and connect with TLS',
    );
  });

  test('an eviction policy the engine does not have', () => {
    expect(errorFrom({ evictionPolicy: 'lru' as CacheEvictionPolicy })).toBe(
      "UserStack/Cache: evictionPolicy ('lru') must be one of 'allkeys-lru', 'allkeys-lfu', 'allkeys-random', 'volatile-lru', 'volatile-lfu', 'volatile-random', 'volatile-ttl', 'noeviction'",
    );
  });

  test('snapshot retention beyond what ElastiCache keeps', () => {
    expect(errorFrom({ snapshotRetentionDays: 40 })).toBe('UserStack/Cache: snapshotRetentionDays (40) must be between 0 and 35');
  });

  test('malformed windows', () => {
    expect(errorFrom({ snapshotRetentionDays: 1, snapshotWindow: '6-7', maintenanceWindow: 'sunday 07:30' })).toBe(
      [
        'UserStack/Cache: 2 problems:',
        "  - snapshotWindow ('6-7') must be a daily UTC range 'hh:mm-hh:mm' such as '06:00-07:00'",
        "  - maintenanceWindow ('sunday 07:30') must be a weekly UTC range 'ddd:hh:mm-ddd:hh:mm' such as 'sun:07:30-sun:08:30'",
      ].join('\n'),
    );
  });

  test('windows shorter than an hour, and overlapping ones', () => {
    expect(errorFrom({ snapshotRetentionDays: 1, snapshotWindow: '23:30-00:15', maintenanceWindow: 'mon:00:00-mon:00:30' })).toBe(
      [
        'UserStack/Cache: 3 problems:',
        "  - snapshotWindow ('23:30-00:15') lasts 45 minutes; ElastiCache needs at least 60",
        "  - maintenanceWindow ('mon:00:00-mon:00:30') lasts 30 minutes; ElastiCache needs at least 60",
        "  - maintenanceWindow ('mon:00:00-mon:00:30') overlaps snapshotWindow ('23:30-00:15'); move one so they do not overlap",
      ].join('\n'),
    );
  });

  test('the snapshot window is not judged when no snapshots are kept', () => {
    expect(errorFrom({ snapshotRetentionDays: 0, snapshotWindow: 'whenever' })).toBe('no error');
  });

  test('Multi-AZ in subnets of one AZ', () => {
    expect(errorFrom((vpc) => ({ nodes: 2, multiAz: true, vpcSubnets: { subnets: [vpc.isolatedSubnets[0]] } }))).toBe(
      'UserStack/Cache: multiAz needs subnets in at least 2 AZs, but vpcSubnets selects subnets in 1; select subnets in more AZs, or multiAz false',
    );
  });

  test('a subnet selection that selects nothing', () => {
    expect(errorFrom({ vpcSubnets: { subnets: [] } })).toBe(
      'UserStack/Cache: vpcSubnets selects no subnet; select the subnets the nodes should live in',
    );
  });

  test('a node count only known at deploy time', () => {
    expect(errorFrom({ nodes: Token.asNumber({ Ref: 'Nodes' }) })).toBe(
      'UserStack/Cache: the node count (nodes, or clusterMode.shards and replicasPerShard) is an unresolved token; pass numbers, the construct names every node at synth time',
    );
  });

  test('every problem of one cache is reported together', () => {
    const message = errorFrom({
      nodeType: 'cache.t4g.huge',
      multiAz: true,
      transitEncryption: false,
      evictionPolicy: 'lfu' as CacheEvictionPolicy,
    });
    expect(message.split('\n')[0]).toBe('UserStack/Cache: 4 problems:');
    expect(message).toContain("nodeType ('cache.t4g.huge')");
    expect(message).toContain('transitEncryption is false');
    expect(message).toContain("evictionPolicy ('lfu')");
    expect(message).toContain('multiAz needs a replica to fail over to, but nodes is 1');
  });
});
