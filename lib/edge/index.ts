export { Edge } from './edge';
export type { EdgeMetricName, EdgeProps, EdgePublicOrigin } from './props';
export { EdgeWebAcl, EDGE_RATE_LIMIT_RULE } from './web-acl';
export type { EdgeWebAclProps } from './web-acl';
