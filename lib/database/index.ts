export * from './database';
export * from './tuning';
export * from './connection-budget';
export * from './parameter-overrides';
export * from './postgres-settings';
