// The deployed stack `npm run verify` looks at, read through the AWS SDK's default chains: the
// account and region of the caller's credentials, the stack's resources and outputs, and the
// template CloudFormation deployed (so what is compared is what was deployed, whatever synthesized
// it). AWS_ENDPOINT_URL sends every call to the emulator instead.
import { GetTemplateCommand } from '@aws-sdk/client-cloudformation';
import { GetCallerIdentityCommand } from '@aws-sdk/client-sts';
import type { Profile } from '../../lib/core/profiles';
import { ACCOUNT as MOTO_ACCOUNT, clientsFor, type Clients } from '../deploy-local/aws';
import { Checks } from '../deploy-local/checks';
import { attributeReader, describeDeployedStack, placeholdersOf, zonesOf, type DeployedStack } from '../deploy-local/stack';
import { Resolver, type CfnTemplate } from '../deploy-local/template';
import type { VerifyContext } from '../deploy-local/verify';
import { ExternalFailure } from '../shared/cli';

export interface Target {
  readonly clients: Clients;
  readonly account: string;
  readonly region: string;
  /** AWS_ENDPOINT_URL, when set. */
  readonly endpoint?: string;
  /**
   * The endpoint is moto's server on this machine: no container, Lambda or schedule runs there, so
   * the live probes that need one report "not verifiable here" instead of waiting for nothing.
   */
  readonly emulator: boolean;
  readonly stack: DeployedStack;
  readonly template: CfnTemplate;
  /** What the rehearsal's verifiers read (deploy-local's VerifyContext), pointed at this stack. */
  readonly context: VerifyContext;
}

const LOOPBACK = /^https?:\/\/(localhost|127\.0\.0\.1|\[::1\])(:\d+)?\/?$/;

/** Whether calls go to moto's server on this machine (a loopback endpoint answering as moto's account). */
export function isEmulator(endpoint: string | undefined, account: string): boolean {
  return endpoint !== undefined && LOOPBACK.test(endpoint) && account === MOTO_ACCOUNT;
}

/**
 * Finds the stack and everything the checks read. Throws ExternalFailure (exit 1) with the fix
 * when there are no credentials or region, or no such stack.
 */
export async function openTarget(
  stackName: string,
  profile: Profile,
  env: NodeJS.ProcessEnv = process.env,
  clients: Clients = clientsFor({ maxAttempts: 3 }),
): Promise<Target> {
  const region = await clients.sts.config.region().catch(() => undefined);
  if (!region) throw new ExternalFailure('no AWS region: set AWS_REGION, or a region in your AWS profile, as for `cdk deploy`');
  let account: string;
  try {
    account = (await clients.sts.send(new GetCallerIdentityCommand({}))).Account ?? '';
  } catch (error) {
    throw new ExternalFailure(
      `cannot tell which AWS account to verify (${(error as Error).message}); give credentials as for \`cdk deploy\` (AWS_PROFILE, SSO, environment keys)`,
      { cause: error },
    );
  }
  const endpoint = env.AWS_ENDPOINT_URL || undefined;

  const stack = await describeDeployedStack(clients.cloudformation, stackName);
  if (!stack) {
    throw new ExternalFailure(
      `there is no stack ${stackName} in account ${account}, ${region}: deploy it first (npx cdk deploy ${stackName} -c profile=${profile.name}), or name another with --stack`,
    );
  }
  const body = (await clients.cloudformation.send(new GetTemplateCommand({ StackName: stackName, TemplateStage: 'Original' }))).TemplateBody ?? '';
  let template: CfnTemplate;
  try {
    template = JSON.parse(body) as CfnTemplate;
  } catch {
    throw new ExternalFailure(`${stackName}'s template is not JSON (CDK writes JSON): verify reads only stacks CDK deployed`);
  }
  const physicalIds = new Map(stack.resources.map((r) => [r.logicalId, r.physicalId]));
  // moto_server.py's stand-ins for types moto does not model; none on AWS.
  const placeholders = new Set((await placeholdersOf(clients.cloudformation, stackName)).keys());
  const resolver = new Resolver({
    template,
    physicalIds,
    parameters: stack.parameters,
    stackName,
    account,
    region,
    zones: await zonesOf(clients),
    attribute: attributeReader(clients, account, region),
  });
  return {
    clients,
    account,
    region,
    endpoint,
    emulator: isEmulator(endpoint, account),
    stack,
    template,
    context: { template, profile, stack, physicalIds, placeholders, resolver, clients, checks: new Checks() },
  };
}
