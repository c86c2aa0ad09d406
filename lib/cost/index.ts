export * from './monthly-budget';
