import { dev } from './dev';
import { prod } from './prod';
import type { Profile, ProfileName } from './profile';
import { staging } from './staging';
import { ConfigurationError } from '../errors';

export * from './profile';
export {
  LOG_RETENTION_DAYS,
  PRODUCTION_MIN_BACKUP_RETENTION_DAYS,
  PRODUCTION_MIN_LOG_RETENTION_DAYS,
  profileProblems,
  validateProfile,
} from './rules';
export { dev, staging, prod };

/** The built-in profiles by name. */
export const profiles: Readonly<Record<ProfileName, Profile>> = { dev, staging, prod };

/** The built-in profile names, in order of size. */
export const PROFILE_NAMES: readonly ProfileName[] = ['dev', 'staging', 'prod'];

/** Returns the built-in profile called `name`, or throws an error that lists the valid names. */
export function profileFor(name: string): Profile {
  if ((PROFILE_NAMES as readonly string[]).includes(name)) return profiles[name as ProfileName];
  throw new ConfigurationError('profile', [
    `unknown profile ${JSON.stringify(name)}; valid profiles are ${PROFILE_NAMES.join(', ')} (pass one with -c profile=<name>)`,
  ]);
}

/** A profile given by name or as a value. */
export function resolveProfile(profile: ProfileName | Profile): Profile {
  return typeof profile === 'string' ? profileFor(profile) : profile;
}
