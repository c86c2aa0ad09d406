import { profiles, tunePostgresParameters, profileConnectionDemand, checkProfileConnectionBudget, roleConnectionLimits, checkProfileMemoryFit, engineMemoryBytes } from './lib';
import { maxConnectionsFor } from './lib/core/postgres/engine-memory';
for (const g of [1,2,4,8,15.25,16,32,64]) console.log(g, maxConnectionsFor(g), (engineMemoryBytes(g)/1048576).toFixed(1));
for (const name of ['dev','staging','prod'] as const) {
  const p = profiles[name];
  const exp = profileConnectionDemand(p) + 10;
  const t = tunePostgresParameters(p.database.instanceClass, { expectedConnections: exp, allocatedStorageGiB: p.database.allocatedStorageGiB });
  const v = Object.fromEntries(t.parameters.map(x => [x.name, x.value]));
  console.log(name, p.database.instanceClass, 'exp', exp, 'max', v.max_connections, 'sb', v.shared_buffers, 'wm', v.work_mem, 'mwm', v.maintenance_work_mem, 'ecs', v.effective_cache_size);
  console.log(checkProfileConnectionBudget(p, t.maxConnections).explanation, roleConnectionLimits(p, t.maxConnections), checkProfileMemoryFit(p, t.parameters));
}
