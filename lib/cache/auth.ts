import { Validations } from 'aws-cdk-lib';
import type * as kms from 'aws-cdk-lib/aws-kms';
import * as secretsmanager from 'aws-cdk-lib/aws-secretsmanager';
import type { Construct } from 'constructs';
import { authTokenGeneration } from '../core/cache';

/**
 * The AUTH token (construct ID `AuthToken`): generated into Secrets Manager, so it never appears
 * in the template (the replication group reads it by dynamic reference). The whole `SecretString`
 * is the token, plain text, as clients pass it.
 */
export function createAuthSecret(scope: Construct, encryptionKey: kms.IKey | undefined): secretsmanager.Secret {
  const secret = new secretsmanager.Secret(scope, 'AuthToken', {
    description: `AUTH token of the Valkey cache ${scope.node.path}`,
    encryptionKey,
    generateSecretString: authTokenGeneration(),
  });
  Validations.of(secret).acknowledge({
    id: 'AwsSolutions-SMG4',
    reason:
      'The Valkey AUTH token changes only through ModifyReplicationGroup (AuthTokenUpdateStrategy ROTATE, then SET once clients have the new token); no AWS-provided Secrets Manager rotation function does that, so the token is rotated by a stack update instead.',
  });
  return secret;
}
