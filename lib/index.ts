export * from './profiles';
export * from './network';
export * from './scaling-stack';
export * from './config';
export { APP_ENVIRONMENT } from './defaults/app-contract';
export * from './cost';
