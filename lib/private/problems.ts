import { Token } from 'aws-cdk-lib';
import { Problems as DataProblems } from '../core/errors';

export { ConfigurationError, show } from '../core/errors';

/**
 * The constructs' problem collector: as lib/core's, but values that are unresolved tokens are not
 * judged, since they are only known at deploy time.
 */
export class Problems extends DataProblems {
  override isUnresolved(value: unknown): boolean {
    return Token.isUnresolved(value);
  }
}
