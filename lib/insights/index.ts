export {
  RightsizingAdvisor,
  type RightsizingAdvisorProps,
  type RightsizingCacheSource,
  type RightsizingDatabaseSource,
  type RightsizingWebSource,
  type RightsizingWorkerSource,
} from './rightsizing-advisor';
export { DatabaseInsights, DB_INSIGHTS_SERVICE_NAME, type DatabaseInsightsProps } from './database-insights';
