export { Database, type DatabaseInsightsModeName, type DatabaseProps } from './database';
