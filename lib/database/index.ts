export { Database } from './database';
export type { DatabaseInsightsModeName, DatabaseProps } from './props';
export type { DatabaseLogType } from './logs';
export { DatabaseBootstrap } from './bootstrap';
export type { DatabaseBootstrapOptions } from './bootstrap-props';
