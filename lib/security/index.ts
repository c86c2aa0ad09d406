export { CLOUDWATCH_LOGS_KEY_ACTIONS, EncryptLogGroups, LogEncryptionKey } from './log-encryption';
export type { LogEncryptionKeyProps } from './log-encryption';
