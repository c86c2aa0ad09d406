export { DataBackup, DATA_BACKUP_DEFAULTS } from './data-backup';
export type { DataBackupProps } from './props';
