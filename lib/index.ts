export * from './profiles';
export * from './network';
export * from './database';
export * from './scaling-stack';
export * from './config';
export { APP_ENVIRONMENT } from './defaults/app-contract';
export * from './cache';
export * from './web-service';
export * from './queue-worker';
