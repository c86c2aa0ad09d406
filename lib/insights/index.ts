export * from './rightsizing-advisor';
export * from './database-insights';
