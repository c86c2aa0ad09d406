export type { WebDeploymentAlarms, WebHealthCheck, WebMetricSource, WebServiceProps } from './props';
export { WebService } from './web-service';
