import {
  ConfigurationError,
  dev,
  prod,
  profileFor,
  profileProblems,
  profiles,
  PROFILE_NAMES,
  staging,
  validateProfile,
  type Profile,
} from '../../../lib';

describe('built-in profiles', () => {
  test.each(PROFILE_NAMES)('%s is valid', (name) => {
    expect(() => validateProfile(profiles[name])).not.toThrow();
    expect(profiles[name].name).toBe(name);
  });

  test('only prod is a production profile', () => {
    expect([dev.production, staging.production, prod.production]).toEqual([false, false, true]);
  });

  test('sizes grow from dev to prod', () => {
    expect(dev.web.maxTasks).toBeLessThan(staging.web.maxTasks);
    expect(staging.web.maxTasks).toBeLessThan(prod.web.maxTasks);
    expect(dev.network.maxAzs).toBe(2);
    expect(prod.network.maxAzs).toBe(3);
  });

  test('dev runs X86_64 on Spot; prod runs ARM64 on demand', () => {
    expect(dev.web).toMatchObject({ cpuArchitecture: 'X86_64', spotWeight: 1, onDemandWeight: 0 });
    expect(prod.web).toMatchObject({ cpuArchitecture: 'ARM64', spotWeight: 0 });
  });

  test('profileFor returns the named profile and rejects an unknown name with the valid ones', () => {
    expect(profileFor('staging')).toBe(staging);
    expect(() => profileFor('production')).toThrow(
      'profile: unknown profile "production"; valid profiles are dev, staging, prod (pass one with -c profile=<name>)',
    );
  });
});

/** A profile whose fields a test may assign, at any depth. */
type Mutable<T> = { -readonly [K in keyof T]: Mutable<T[K]> };

describe('validateProfile', () => {
  const withChanges = (base: Profile, change: (p: Mutable<Profile>) => void): Profile => {
    const copy = structuredClone(base) as Mutable<Profile>;
    change(copy);
    return copy as Profile;
  };

  test('an extended profile stays valid', () => {
    expect(() => validateProfile({ ...prod, name: 'prod-eu', web: { ...prod.web, maxTasks: 60 } })).not.toThrow();
  });

  test('min above max names both values and the fix', () => {
    const bad = withChanges(dev, (p) => {
      p.web.minTasks = 5;
      p.web.maxTasks = 2;
    });
    expect(() => validateProfile(bad)).toThrow(
      "profile 'dev': web.minTasks (5) must not exceed web.maxTasks (2); raise web.maxTasks or lower web.minTasks",
    );
  });

  test('ARM64 with Spot weight is rejected', () => {
    const bad = withChanges(prod, (p) => {
      p.web.spotWeight = 2;
    });
    expect(() => validateProfile(bad)).toThrow(
      /web\.spotWeight \(2\) must be 0 when web\.cpuArchitecture is 'ARM64': Fargate Spot runs only X86_64 tasks/,
    );
  });

  test('a log retention CloudWatch Logs does not accept is named with the values it does', () => {
    const bad = withChanges(dev, (p) => {
      p.observability.logRetentionDays = 10;
    });
    expect(() => validateProfile(bad)).toThrow(
      "profile 'dev': observability.logRetentionDays (10) must be one of 1, 3, 5, 7, 14, 30, 60, 90, 120, 150, 180, 365, 400, 545, 731, 1096, 1827, 2192, 2557, 2922, 3288, 3653, 9999; CloudWatch Logs accepts only these retention periods (9999 keeps logs forever)",
    );
  });

  test('profileProblems returns what validateProfile throws, as a list, without throwing', () => {
    const bad = withChanges(prod, (p) => {
      p.database.multiAz = false;
      p.cache.multiAz = false;
    });
    expect(profileProblems(prod)).toEqual([]);
    expect(profileProblems(bad)).toEqual([
      'database.multiAz is false; production profiles require it so the database survives an AZ outage',
      "cache.multiAz is false; production profiles require it so the cache fails over when its primary's AZ fails",
    ]);
    let thrown: unknown;
    try {
      validateProfile(bad);
    } catch (e) {
      thrown = e;
    }
    expect(thrown).toBeInstanceOf(ConfigurationError);
    expect((thrown as ConfigurationError).problems).toEqual(profileProblems(bad));
  });

  test('prod without Multi-AZ, deletion protection or long retention lists every problem at once', () => {
    const bad = withChanges(prod, (p) => {
      p.database.multiAz = false;
      p.database.deletionProtection = false;
      p.database.backupRetentionDays = 3;
      p.cache.multiAz = false;
      p.web.minTasks = 1;
      p.network.natGateways = 1;
      p.observability.logRetentionDays = 30;
    });
    let message = '';
    try {
      validateProfile(bad);
    } catch (e) {
      message = (e as Error).message;
    }
    // 7 production rules, and prod's automatic target weights need 2 tasks too.
    expect(message).toMatch(/^profile 'prod': 8 problems:/);
    expect(message).toContain('web.anomalyMitigation (true) needs web.minTasks of at least 2 (it is 1)');
    expect(message).toContain('database.multiAz is false; production profiles require it so the database survives an AZ outage');
    expect(message).toContain('database.deletionProtection is false; production profiles require it');
    expect(message).toContain('database.backupRetentionDays (3) must be at least 7 in production');
    expect(message).toContain('cache.multiAz is false; production profiles require it');
    expect(message).toContain('web.minTasks (1) must be at least 2 in production');
    expect(message).toContain("network needs one NAT gateway per AZ in production (natStrategy 'gateway', natGateways 3)");
    expect(message).toContain('observability.logRetentionDays (30) must be at least 90 days in production');
  });

  test('a production web section must keep full capacity in deployments and protect its load balancer', () => {
    const bad = withChanges(prod, (p) => {
      p.web.minHealthyPercent = 50;
      p.web.deletionProtection = false;
    });
    expect(() => validateProfile(bad)).toThrow(
      "profile 'prod': 2 problems:\n  - web.minHealthyPercent (50) must be 100 in production, so a deployment never lowers serving capacity\n  - web.deletionProtection is false; production profiles require it so a stack update or delete cannot remove the load balancer clients point at",
    );
  });

  test('the web section is checked as WebService checks it, Fargate sizes and scaling targets included', () => {
    const bad = withChanges(staging, (p) => {
      p.web.memoryMiB = 512;
      p.web.cpuTargetPercent = 101;
    });
    expect(() => validateProfile(bad)).toThrow(
      "profile 'staging': 2 problems:\n  - web.memoryMiB (512) is not a Fargate size for web.cpu 512; with web.cpu 512 use 1024, 2048, 3072, 4096 MiB\n  - web.cpuTargetPercent (101) must be above 0 and at most 100 (a utilization percentage)",
    );
  });

  test('cache Multi-AZ without a replica is rejected', () => {
    const bad = withChanges(staging, (p) => {
      p.cache.nodes = 1;
    });
    expect(() => validateProfile(bad)).toThrow(
      'cache.multiAz needs a replica to fail over to, but cache.nodes is 1; set nodes to 2 or more, or multiAz false',
    );
  });

  test('network values out of range name the value and the allowed range', () => {
    const bad = withChanges(staging, (p) => {
      p.network.maxAzs = 4;
      p.network.cidr = '10.0.0.0/8';
      p.network.natGateways = 0;
    });
    expect(() => validateProfile(bad)).toThrow(/network\.cidr prefix length \(8\) must be between 16 and 20/);
    expect(() => validateProfile(bad)).toThrow(/network\.maxAzs \(4\) must be between 2 and 3/);
    expect(() => validateProfile(bad)).toThrow(/network\.natGateways \(0\) must be between 1 and 4/);
  });

  test('a malformed CIDR and name are rejected', () => {
    const bad = withChanges(dev, (p) => {
      p.network.cidr = '10.0.0/16';
      p.name = 'Dev_1';
    });
    expect(() => validateProfile(bad)).toThrow(/network\.cidr \('10\.0\.0\/16'\) must be an IPv4 CIDR block such as '10\.0\.0\.0\/16'/);
    expect(() => validateProfile(bad)).toThrow(/name \("Dev_1"\) must be 1-31 lower-case letters, digits or dashes/);
  });

  test('storage, backups, snapshots, workers and budget are range-checked', () => {
    const bad = withChanges(dev, (p) => {
      p.database.allocatedStorageGiB = 10;
      p.database.maxAllocatedStorageGiB = 5;
      p.database.backupRetentionDays = 40;
      p.cache.snapshotRetentionDays = 36;
      p.worker.maxConcurrency = 1;
      p.worker.timeoutSeconds = 901;
      p.cost.monthlyBudgetUsd = 0;
      p.web.onDemandWeight = 0;
      p.web.spotWeight = 0;
    });
    const run = () => validateProfile(bad);
    expect(run).toThrow(/database\.allocatedStorageGiB \(10 GiB\) must be between 20 and 65536 GiB/);
    expect(run).toThrow(/database\.allocatedStorageGiB \(10\) must not exceed database\.maxAllocatedStorageGiB \(5\)/);
    expect(run).toThrow(/database\.backupRetentionDays \(40\) must be between 0 and 35/);
    expect(run).toThrow(/cache\.snapshotRetentionDays \(36\) must be between 0 and 35/);
    expect(run).toThrow(/worker\.maxConcurrency \(1\) must be between 2 and 1000/);
    expect(run).toThrow(/worker\.timeoutSeconds \(901\) must be between 1 and 900/);
    expect(run).toThrow(/cost\.monthlyBudgetUsd \(0\) must be between 1 and 1000000/);
    expect(run).toThrow(/web\.onDemandWeight and web\.spotWeight are both 0/);
  });

  test('a fractional task count is rejected as not whole', () => {
    const bad = withChanges(dev, (p) => {
      p.web.maxTasks = 2.5;
    });
    expect(() => validateProfile(bad)).toThrow('web.maxTasks (2.5) must be a whole number between 1 and 1000');
  });
});

describe('the edge section', () => {
  const withChanges = (base: Profile, change: (p: Mutable<Profile>) => void): Profile => {
    const copy = structuredClone(base) as Mutable<Profile>;
    change(copy);
    return copy as Profile;
  };

  test('values outside what WAF and CloudFront accept are named with their bounds', () => {
    const bad = withChanges(dev, (p) => {
      p.edge.rateLimitPer5Minutes = 5;
      p.edge.originShieldRegion = 'Virginia';
      p.edge.staticMaxTtlSeconds = 60;
    });
    expect(profileProblems(bad)).toEqual([
      'edge.rateLimitPer5Minutes (5) must be between 10 and 2000000000; AWS WAF rate-based rules allow 10 to 2,000,000,000',
      "edge.originShieldRegion (\"Virginia\") must be an AWS Region code such as 'us-east-1', the region closest to the load balancer, or 'off'",
      'edge.staticMaxTtlSeconds (60 s) must be between 86400 and 31536000 s; at least the static default TTL (one day) and at most a year',
    ]);
  });

  test('a web ACL without the distribution is a contradiction', () => {
    const bad = withChanges(dev, (p) => {
      p.edge.enabled = false;
    });
    expect(() => validateProfile(bad)).toThrow(
      'edge.webAcl is true but edge.enabled is false; a web ACL needs the distribution, so turn both on or both off',
    );
  });

  test('production keeps the edge and its web ACL', () => {
    const bad = withChanges(prod, (p) => {
      p.edge.webAcl = false;
    });
    expect(() => validateProfile(bad)).toThrow(
      'edge.enabled and edge.webAcl must both be true in production, so viewers get HTTPS and the managed rules and rate limit stand in front of the service',
    );
  });
});
