export { Database, databasePropsFor, type DatabaseInsightsModeName, type DatabaseProps } from './database';
