import type { JobDefinition } from '../shared/job';
import { cacheInvalidate } from './cache-invalidate';
import { cacheRefresh } from './cache-refresh';

/**
 * The job types of the jobs worker. To add one, write a module that exports `defineJob({ type,
 * payload, run })` and list it here; its payload type is checked against its schema.
 */
export const JOBS: readonly JobDefinition[] = [cacheInvalidate, cacheRefresh];
