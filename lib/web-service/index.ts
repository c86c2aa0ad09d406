export type { WebDeploymentAlarms, WebHealthCheck, WebMetricSource, WebServiceProps, WebServiceTracing } from './props';
export { WebService } from './web-service';
