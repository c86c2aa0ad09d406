// `npm run verify -- --profile <name>`: checks a deployed ScalingStack-<name> in a real account
// (after `cdk deploy`), through the AWS SDK's default credentials and region. First the rehearsal's
// verifiers (tools/deploy-local/verify): every resource as the deployed template and the profile
// say. Then live probes: the WebUrl answers, the load balancer's targets are healthy, a test job
// sent to the jobs queue is processed, the database insights report is complete, every alarm is
// OK. Read-only except the test job (--skip-job sends none). With AWS_ENDPOINT_URL pointing at
// moto's server, the probes moto cannot answer say so instead of passing.
//
// Exit codes: 0 nothing failed (pending and skipped checks say what is left), 1 a check failed or
// AWS could not be reached, 2 bad options. tools/verify/README.md says what each check means.
import { consoleIo, EXIT, guard, type Io } from '../shared/cli';
import { runChecklist, summaryLine, type Check } from './checklist';
import { COMMAND, parseOptions, type Options } from './options';
import { probeAlarms } from './probes/alarms';
import { probeContext, type ProbeContext } from './probes/context';
import { probeInsights } from './probes/insights';
import { probeJob } from './probes/job';
import { probeStackStatus } from './probes/stack-status';
import { probeTargets } from './probes/targets';
import { probeWeb } from './probes/web';
import { openTarget, type Target } from './target';
import { verifierChecks } from './verifiers';

/** Every check of one run, in the order they are printed: the stack, its resources, then the live probes. */
export function checksFor(
  target: Target,
  options: Pick<Options, 'jobTimeoutSeconds' | 'sendJob' | 'verbose'>,
  probe: ProbeContext = probeContext(target),
): Check[] {
  return [
    { name: 'stack', run: () => probeStackStatus(probe) },
    ...verifierChecks(target.context, options.verbose).map((c) => ({ ...c, name: `resources: ${c.name}` })),
    { name: 'web URL answers', run: () => probeWeb(probe) },
    { name: 'load balancer targets healthy', run: () => probeTargets(probe) },
    {
      name: 'test job processed',
      run: () => probeJob(probe, { send: options.sendJob, timeoutSeconds: options.jobTimeoutSeconds }),
      startNote:
        options.sendJob && !target.emulator
          ? `sending a cache.invalidate job of a key nothing uses; waiting up to ${options.jobTimeoutSeconds} s`
          : undefined,
    },
    { name: 'database insights report complete', run: () => probeInsights(probe) },
    { name: 'alarms OK', run: () => probeAlarms(probe) },
  ];
}

export async function main(argv: readonly string[], io: Io = consoleIo, open: typeof openTarget = openTarget): Promise<number> {
  const options = parseOptions(argv);
  if (options.help) {
    io.out(COMMAND.helpText);
    return EXIT.ok;
  }
  // The SDK's notice that its 2027 releases need Node >= 22 is true, and noise in a report.
  process.env.AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED ??= 'true';
  const started = process.hrtime.bigint();
  const target = await open(options.stackName, options.profile);
  io.out(
    `verify ${options.stackName} (profile ${options.profile.name}) in account ${target.account}, ${target.region}` +
      (target.emulator ? `\n  on the emulator at ${target.endpoint}: what it cannot answer is reported as not verifiable here, never as a pass` : ''),
  );
  const result = await runChecklist(checksFor(target, options), (line) => io.out(line));
  const seconds = Number(process.hrtime.bigint() - started) / 1e9;
  io.out(summaryLine(options.stackName, result, seconds));
  return result.counts.fail > 0 ? EXIT.failed : EXIT.ok;
}

if (require.main === module) {
  // process.exit, not exitCode: the SDK's keep-alive sockets would hold the process open.
  guard('verify', consoleIo, () => main(process.argv.slice(2))).then((code) => process.exit(code));
}
