export * from './monitoring';
export type { MonitoredAlarm } from './alarm-factory';
export {
  ALARM_CATALOG,
  type AlarmCatalog,
  type AlarmComparison,
  type AlarmDefinition,
  type AlarmSection,
  type AlarmSeverity,
  type MissingData,
  type MonitoredTier,
  type ThresholdUnit,
} from './alarm-catalog';
export { BURN_RATE_WINDOWS, type BurnRateWindow } from '../defaults/monitoring';
