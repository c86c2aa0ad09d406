// `npm run deploy:local`: rehearses a real deploy of every profile offline. Starts moto's server on
// a free loopback port (or uses --endpoint), bootstraps it with the real CDK CLI, then per profile:
// `cdk deploy`, verifies with the AWS SDK what moto models (comparing deployed values to the
// profile and the template), `cdk destroy --force`, and checks what remains. Prints what moto
// skipped, one summary line per profile, and the time each took. Stops the server it started on
// every exit path.
//
//   npm run deploy:local -- [--profile <name>]... [--endpoint <url> | --port <n>] [--fixture] [--verbose]
//
// Exit codes: 0 every profile passed, 1 one failed (or moto could not be started), 2 bad options.
// tools/deploy-local/README.md says what it verifies, what it cannot, and what moto_server.py fixes.
import * as fs from 'node:fs';
import * as path from 'node:path';
import { GetCallerIdentityCommand } from '@aws-sdk/client-sts';
import { consoleIo, EXIT, guard, textRow, type Column } from '../shared/cli';
import type { Profile } from '../../lib/core/profiles';
import { ACCOUNT, REGION, createClients, type Clients } from './aws';
import { cdkRunner, cliEnvironment, outputTail, PINNED_ENVIRONMENT, ROOT, type CdkResult, type CdkRunner } from './cdk';
import { Checks, describeFailure } from './checks';
import { destroyStack } from './destroy';
import { inventory, skippedTypeCount, type SkippedType } from './inventory';
import { choosePort, findMoto, motoFixes, parseMotoLog, PortTakenError, SetupError, startMoto, type MotoServer } from './moto';
import { COMMAND, parseOptions, type Options } from './options';
import { checkRemains, strayLogGroups } from './remains';
import { attributeReader, describeDeployedStack, failureEvents, formatEvent, placeholdersOf, zonesOf, type DeployedStack } from './stack';
import { loadTemplate, Resolver, type CfnTemplate } from './template';
import { verifyStack } from './verify';

export const SCRATCH = path.join(ROOT, 'cdk.out.deploy-local');
const FIXTURE_APP = 'npx tsx test/tools/deploy-local/fixture-app.ts';

export interface ProfileResult {
  readonly profile: string;
  readonly stackName: string;
  readonly ok: boolean;
  readonly deployedResources: number;
  readonly verified: number;
  readonly failedChecks: number;
  readonly skipped: readonly SkippedType[];
  readonly seconds: { readonly deploy: number; readonly verify: number; readonly destroy: number; readonly total: number };
}

/** `PASS dev: deployed 38 resources, verified 84 properties, skipped 2 types — 21.3 s (deploy 8.1, verify 0.4, destroy 12.8)` */
export function summaryLine(r: ProfileResult): string {
  const failed = r.failedChecks > 0 ? ` (${r.failedChecks} failed)` : '';
  const s = r.seconds;
  return (
    `${r.ok ? 'PASS' : 'FAIL'} ${r.profile}: deployed ${r.deployedResources} resources, verified ${r.verified} properties${failed}, skipped ${skippedTypeCount(r.skipped)} types` +
    ` — ${s.total.toFixed(1)} s (deploy ${s.deploy.toFixed(1)}, verify ${s.verify.toFixed(1)}, destroy ${s.destroy.toFixed(1)})`
  );
}

type Print = (line: string) => void;

/** Seconds since `start` (from `process.hrtime.bigint()`). */
const since = (start: bigint) => Number(process.hrtime.bigint() - start) / 1e9;

export interface Session {
  readonly options: Options;
  readonly clients: Clients;
  readonly cdk: CdkRunner;
  readonly server?: MotoServer;
  readonly print: Print;
}

/** Deploys, verifies and destroys one profile. Never throws for a failed deploy: the result says. */
export async function rehearse(session: Session, profile: Profile): Promise<ProfileResult> {
  const { options, clients, cdk, server, print } = session;
  const stackName = `${options.fixture ? 'DeployLocalFixture' : 'ScalingStack'}-${profile.name}`;
  const assembly = path.join(SCRATCH, options.fixture ? `fixture-${profile.name}` : profile.name);
  const app = options.fixture ? ['--app', FIXTURE_APP] : [];
  const seconds = { deploy: 0, verify: 0, destroy: 0, total: 0 };
  const start = process.hrtime.bigint();
  const result = (ok: boolean, extra: Partial<ProfileResult> = {}): ProfileResult => ({
    profile: profile.name,
    stackName,
    ok,
    deployedResources: 0,
    verified: 0,
    failedChecks: 0,
    skipped: [],
    ...extra,
    seconds: { ...seconds, total: since(start) },
  });

  print(`\n=== ${profile.name}: cdk deploy ${stackName}`);
  const logMark = server?.logOffset() ?? 0;
  let t = process.hrtime.bigint();
  const context = ['-c', `profile=${profile.name}`, ...PINNED_ENVIRONMENT];
  const deploy = await cdk.run(['deploy', stackName, ...app, ...context, '--require-approval', 'never', '-o', assembly]);
  seconds.deploy = since(t);
  if (deploy.code !== 0) {
    await reportFailedDeploy(session, stackName, deploy);
    // Leave no failed stack behind (CloudFormation keeps a ROLLBACK_COMPLETE stack until it is deleted).
    await removeFailedStack(session, stackName, [...(fs.existsSync(assembly) ? ['--app', assembly] : app), ...context]);
    return result(false);
  }

  t = process.hrtime.bigint();
  const template = loadTemplate(assembly, stackName);
  const stack = await describeDeployedStack(clients.cloudformation, stackName);
  if (!stack) {
    print(`FAIL: the CLI reported ${stackName} deployed, but CloudFormation has no such stack.`);
    return result(false);
  }
  const placeholders = new Set((await placeholdersOf(clients.cloudformation, stackName)).keys());
  const inv = inventory(template, stack, server ? parseMotoLog(server.logSince(logMark)) : undefined, placeholders);
  const physicalIds = new Map(stack.resources.map((r) => [r.logicalId, r.physicalId]));
  const resolver = new Resolver({
    template,
    physicalIds,
    parameters: stack.parameters,
    stackName,
    account: ACCOUNT,
    region: REGION,
    zones: await zonesOf(clients),
    attribute: attributeReader(clients),
  });
  const checks = await verifyStack({ template, profile, stack, physicalIds, placeholders, resolver, clients, checks: new Checks() });
  seconds.verify = since(t);
  const problems: string[] = [];
  if (!/_COMPLETE$/.test(stack.status) || /ROLLBACK/.test(stack.status)) problems.push(`stack status is ${stack.status}`);
  for (const m of inv.missing) problems.push(`${m.resource.logicalId} (${m.resource.type}) was not created: ${m.reason}`);
  for (const f of checks.failures) problems.push(describeFailure(f));
  reportVerification(print, checks, inv.skipped, inv.notes, options.verbose);

  print(`--- ${profile.name}: cdk destroy ${stackName}`);
  t = process.hrtime.bigint();
  problems.push(...(await destroyStack(session, profile, stackName, assembly)));
  problems.push(...(await checkWhatRemains(session, template, stack, placeholders)));
  seconds.destroy = since(t);

  for (const p of problems) print(`  ✗ ${p}`);
  return result(problems.length === 0, {
    deployedResources: inv.deployed.length,
    verified: checks.checks.filter((c) => c.ok).length,
    failedChecks: checks.failures.length,
    skipped: inv.skipped,
  });
}

/** The CloudFormation events that explain a failed deploy, or what the CLI said when there are none. */
async function reportFailedDeploy({ clients, print }: Session, stackName: string, deploy: CdkResult): Promise<void> {
  print(`FAIL: cdk deploy ${stackName} exited with ${deploy.code}.`);
  const events = await failureEvents(clients.cloudformation, stackName);
  if (events.length > 0) {
    print('CloudFormation events that explain it:');
    for (const e of events) print(`  ${formatEvent(e)}`);
  } else {
    print(`The stack was never created; the CLI said:\n${indent(outputTail(deploy.output))}`);
  }
}

async function removeFailedStack({ clients, cdk, print }: Session, stackName: string, appAndContext: string[]): Promise<void> {
  try {
    if (!(await describeDeployedStack(clients.cloudformation, stackName))) return;
    const cleanup = await cdk.run(['destroy', stackName, ...appAndContext, '--force', '-o', path.join(SCRATCH, `${stackName}-cleanup`)]);
    if (cleanup.code !== 0) print(`  (the failed stack could not be removed either: ${outputTail(cleanup.output, 1)})`);
  } catch (error) {
    print(`  (the failed stack could not be inspected for removal: ${(error as Error).message.split('\n')[0]})`);
  }
}

/**
 * After destroy: the stack is gone; what the template retains is listed; anything else of the stack
 * that survived is a problem, and so is a log group of its functions that it did not manage.
 */
async function checkWhatRemains(
  { clients, print }: Session,
  template: CfnTemplate,
  stack: DeployedStack,
  placeholders: ReadonlySet<string>,
): Promise<string[]> {
  const problems: string[] = [];
  if (await describeDeployedStack(clients.cloudformation, stack.name)) problems.push(`${stack.name} still exists after cdk destroy`);
  const remains = await checkRemains(clients, template, stack.resources, placeholders);
  for (const r of remains.retained) {
    print(
      `  retained by design (DeletionPolicy ${template.Resources[r.logicalId]?.DeletionPolicy}): ${r.logicalId} (${r.type}) ${r.physicalId}${r.still ? '' : ' (but it is gone)'}`,
    );
  }
  for (const r of remains.snapshots) {
    if (r.snapshot) print(`  retained by design (DeletionPolicy Snapshot): final snapshot ${r.snapshot} of ${r.logicalId} (${r.type})`);
    else problems.push(`${r.logicalId} (${r.type}) has DeletionPolicy Snapshot, but no final snapshot of ${r.physicalId} exists`);
  }
  for (const r of remains.leftover)
    problems.push(`${r.logicalId} (${r.type}) ${r.physicalId} survived cdk destroy without a DeletionPolicy that keeps it`);
  for (const e of remains.probeErrors) problems.push(`could not tell whether this survived cdk destroy: ${e}`);
  const strays = await strayLogGroups(clients, template, stack.name, stack.resources);
  for (const g of strays.fromCdkProviders)
    print(
      `  left outside the stack (expected): ${g} — CDK's own custom-resource provider handler: moto's CloudFormation drops the LoggingConfig ScalingStack gives it (adoptProviderLogGroups), so moto logs there; in AWS it logs to the stack's group`,
    );
  for (const g of strays.fromIgnoredLoggingConfig)
    print(
      `  left outside the stack (moto only): ${g} — the function's LoggingConfig names a log group of the stack, which moto ignores when it invokes it`,
    );
  for (const g of strays.fromIgnoredLoggingConfig)
    print(`  left by moto (NOT verified): ${g} — the function's LoggingConfig names a log group of the stack, which moto ignores`);
  for (const g of strays.unexpected)
    problems.push(`log group ${g} survived cdk destroy: a function of the stack logs to a group the stack does not manage`);
  if (remains.unprobedTypes.length > 0) print(`  not probed after destroy (no SDK probe for the type): ${remains.unprobedTypes.join(', ')}`);
  if (remains.partTypes.length > 0) print(`  not probed on their own (each is part of a probed resource): ${remains.partTypes.join(', ')}`);
  for (const id of placeholders) {
    const policy = template.Resources[id]?.DeletionPolicy;
    if (policy && policy !== 'Delete')
      print(`  not rehearsed: ${id} (${template.Resources[id].Type}) has DeletionPolicy ${policy}, but it was a placeholder, never created`);
  }
  return problems;
}

/** A resource type (wide enough for the longest, AWS::ECS::ClusterCapacityProviderAssociations), a count, and what it means. */
const BY_TYPE: readonly Column[] = [{ width: 48 }, { width: 3, align: 'right' }, {}];
const byTypeRow = (cells: string[]) => textRow(BY_TYPE, cells, { gap: ' ', indent: '    ' });

function reportVerification(print: Print, checks: Checks, skipped: readonly SkippedType[], notes: readonly string[], verbose: boolean): void {
  const byType = new Map<string, { ok: number; failed: number }>();
  for (const c of checks.checks) {
    const entry = byType.get(c.subject.type) ?? { ok: 0, failed: 0 };
    if (c.ok) entry.ok++;
    else entry.failed++;
    byType.set(c.subject.type, entry);
    if (verbose && c.ok) print(`  ✓ ${c.subject.logicalId} ${c.property} = ${JSON.stringify(c.actual)} (${c.source})`);
  }
  print('  verified, by resource type:');
  for (const [type, n] of [...byType].sort(([a], [b]) => a.localeCompare(b))) {
    print(byTypeRow([type, String(n.ok), `ok${n.failed ? `, ${n.failed} FAILED` : ''}`]));
  }
  const plain = skipped.filter((s) => !s.placeholder);
  const stoodIn = skipped.filter((s) => s.placeholder);
  if (plain.length > 0) {
    print('  skipped by moto (NOT verified):');
    for (const s of plain) print(byTypeRow([s.type, String(s.count), `× ${s.reason}`]));
  }
  if (stoodIn.length > 0) {
    print(
      "  skipped (placeholder attributes), NOT verified: moto does not model these; others refer to them, so moto_server.py answered Ref/Fn::GetAtt with made-up values shaped like AWS's:",
    );
    for (const s of stoodIn) print(byTypeRow([s.type, String(s.count)]));
  }
  if (checks.notModelled.length > 0) {
    print('  properties moto does not model (NOT verified):');
    for (const n of checks.notModelled) print(`    ${n.subject.logicalId} ${n.property}: ${n.reason}`);
  }
  for (const note of notes) print(`  note: ${note}`);
}

function indent(text: string): string {
  return text
    .split('\n')
    .map((l) => `    ${l}`)
    .join('\n');
}

/** The endpoint must be moto: it answers STS with moto's account. Anything else is refused. */
export async function confirmMoto(clients: Clients, endpoint: string): Promise<void> {
  let account: string | undefined;
  try {
    account = (await clients.sts.send(new GetCallerIdentityCommand({}))).Account;
  } catch (error) {
    throw new SetupError(
      `nothing answers as moto at ${endpoint} (${(error as Error).message}); start one with \`moto_server -H 127.0.0.1 -p PORT\`, or leave out --endpoint`,
    );
  }
  if (account !== ACCOUNT) throw new SetupError(`${endpoint} answers for account ${account}, not moto's ${ACCOUNT}: refusing to deploy there`);
}

async function startServer(options: Options, print: Print): Promise<MotoServer> {
  const { python, version } = findMoto();
  print(`moto ${version} (${python}), with these fixes from tools/deploy-local/moto_server.py:`);
  for (const fix of motoFixes(python)) print(`  - ${fix}`);
  let wanted = options.port;
  for (let attempt = 1; ; attempt++) {
    const port = await choosePort(wanted, print);
    try {
      const server = await startMoto(python, port, path.join(SCRATCH, `moto-${port}.log`));
      print(`moto's server: ${server.endpoint} (log: ${path.relative(ROOT, server.logFile)})`);
      return server;
    } catch (error) {
      if (!(error instanceof PortTakenError) || attempt >= 3) throw error;
      print(`${error.message}; trying another`);
      wanted = undefined;
    }
  }
}

export async function main(argv: readonly string[], print: Print = (line) => console.log(line)): Promise<number> {
  const options = parseOptions(argv);
  if (options.help) {
    print(COMMAND.helpText);
    return EXIT.ok;
  }
  // The SDK's notice that its 2027 releases need Node >= 22 is true, and noise in a rehearsal's report.
  process.env.AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED ??= 'true';
  fs.mkdirSync(SCRATCH, { recursive: true });
  let server: MotoServer | undefined;
  let cdk: CdkRunner | undefined;
  // Every exit path stops what this run started: normal return, exceptions (finally), signals, exit().
  const stopNow = () => {
    cdk?.killRunning();
    server?.stopNow();
  };
  const onSignal = (signal: NodeJS.Signals) => {
    print(`\n${signal}: stopping the CDK CLI and moto's server`);
    stopNow();
    process.exit(signal === 'SIGINT' ? 130 : 143);
  };
  process.once('SIGINT', onSignal);
  process.once('SIGTERM', onSignal);
  process.once('exit', stopNow);
  try {
    const start = process.hrtime.bigint();
    server = options.endpoint ? undefined : await startServer(options, print);
    const endpoint = options.endpoint ?? server!.endpoint;
    if (options.endpoint) {
      print(
        `using the moto server at ${endpoint}. Its log is not ours, so skipped types come from CloudFormation's listing alone; and unless` +
          ' it was started with `python3 tools/deploy-local/moto_server.py -H 127.0.0.1 -p PORT`, it lacks the fixes that script applies' +
          ' (list them with --list-fixes), and the deploy fails where moto does.',
      );
    }
    const clients = createClients(endpoint);
    await confirmMoto(clients, endpoint);
    cdk = cdkRunner(cliEnvironment(process.env, endpoint, SCRATCH), options.verbose ? (chunk) => process.stdout.write(chunk) : undefined);

    print(`\n=== cdk bootstrap aws://${ACCOUNT}/${REGION}`);
    const t = process.hrtime.bigint();
    // Bootstrap synthesizes the app too; keep its output out of cdk.out, which holds synth:all's
    // per-profile templates that cost and cfn-lint read.
    const bootstrap = await cdk.run(['bootstrap', `aws://${ACCOUNT}/${REGION}`, '-o', path.join(SCRATCH, 'bootstrap')]);
    if (bootstrap.code !== 0) {
      print(`FAIL: cdk bootstrap exited with ${bootstrap.code}:\n${indent(outputTail(bootstrap.output))}`);
      return 1;
    }
    print(`bootstrapped in ${since(t).toFixed(1)} s`);

    const results: ProfileResult[] = [];
    for (const profile of options.profiles) {
      try {
        results.push(await rehearse({ options, clients, cdk, server, print }, profile));
      } catch (error) {
        // An SDK call the emulator did not answer: this profile fails, the next one still runs.
        print(`FAIL ${profile.name}: ${error instanceof Error ? `${error.name}: ${error.message}` : String(error)}`);
        results.push({
          profile: profile.name,
          stackName: '',
          ok: false,
          deployedResources: 0,
          verified: 0,
          failedChecks: 0,
          skipped: [],
          seconds: { deploy: 0, verify: 0, destroy: 0, total: 0 },
        });
      }
    }

    print('\n=== summary');
    for (const r of results) print(summaryLine(r));
    const skippedTypes = (placeholder: boolean) =>
      [...new Set(results.flatMap((r) => r.skipped.filter((s) => !!s.placeholder === placeholder).map((s) => s.type)))].sort();
    if (skippedTypes(false).length > 0) print(`moto skipped (not verified): ${skippedTypes(false).join(', ')}`);
    if (skippedTypes(true).length > 0) print(`skipped (placeholder attributes, not verified): ${skippedTypes(true).join(', ')}`);
    print(`total ${since(start).toFixed(1)} s`);
    return results.every((r) => r.ok) ? 0 : 1;
  } finally {
    process.removeListener('SIGINT', onSignal);
    process.removeListener('SIGTERM', onSignal);
    await server?.stop();
  }
}

if (require.main === module) {
  // process.exit, not exitCode: the SDK's keep-alive sockets would hold the process open.
  guard('deploy-local', consoleIo, () => main(process.argv.slice(2))).then((code) => process.exit(code));
}
