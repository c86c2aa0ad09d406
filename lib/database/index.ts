export { Database } from './database';
export type { DatabaseInsightsModeName, DatabaseProps } from './props';
