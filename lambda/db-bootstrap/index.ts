// The database bootstrap: the custom resource (custom-resources Provider framework) that creates the
// application and monitoring roles, the preloaded extensions and the user's own statements on every
// deploy. Clients and settings at module scope; the handler is one line.
import { Logger } from '@aws-lambda-powertools/logger';
import { DATABASE_TRUSTED_CAS } from '../shared/database';
import { SecretsManagerSource } from '../shared/secrets';
import { handleBootstrap, type BootstrapDependencies, type BootstrapEvent } from './handler';

const deps: Omit<BootstrapDependencies, 'secrets'> = {
  logger: new Logger({ serviceName: process.env.POWERTOOLS_SERVICE_NAME ?? 'db-bootstrap' }),
  // verify-full against the RDS CAs shipped in the bundle, as the workers do.
  trustedCas: process.env.PGSSLMODE === 'disable' ? false : DATABASE_TRUSTED_CAS,
  connectAttempts: 3,
  retryDelayMs: 5_000,
  connectTimeoutMs: 10_000,
};

// A fresh secret source per event: a warm environment must not log in with a master password that
// RDS rotated since the last deploy.
export const handler = (event: BootstrapEvent) => handleBootstrap(event, { ...deps, secrets: new SecretsManagerSource() });
