export { CLOUDWATCH_LOGS_KEY_ACTIONS, EncryptLogGroups, LogEncryptionKey, adoptProviderLogGroups } from './log-encryption';
export type { LogEncryptionKeyProps } from './log-encryption';
