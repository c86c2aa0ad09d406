export { WebService, type WebDeploymentAlarms, type WebHealthCheck, type WebMetricSource, type WebServiceProps } from './web-service';
