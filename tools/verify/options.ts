// Command-line options of `npm run verify`, checked, with one clear message per mistake.
import { PROFILE_NAMES, profileFor, type Profile } from '../../lib/core/profiles';
import { defineCommand, UsageError } from '../shared/cli';

export const COMMAND = defineCommand({
  usage: 'npm run verify -- --profile <name> [--stack <name>] [--job-timeout <seconds>] [--skip-job] [--verbose]',
  options: {
    profile: {
      type: 'string',
      placeholder: '<name>',
      choices: PROFILE_NAMES,
      noun: 'profile',
      help: `the profile the stack was deployed with (${PROFILE_NAMES.join(', ')}): what its resources are compared to`,
    },
    stack: { type: 'string', placeholder: '<name>', help: 'the stack to verify; default: ScalingStack-<profile>' },
    'job-timeout': {
      type: 'integer',
      placeholder: '<seconds>',
      min: 10,
      max: 900,
      default: 180,
      unit: 'seconds',
      why: 'a job runs in seconds; its metric arrives within a few minutes',
      help: 'how long to wait for the test job to be processed (default 180)',
    },
    'skip-job': { type: 'boolean', help: 'send no test job: everything else is read-only, and the job check is skipped' },
    verbose: { type: 'boolean', help: 'list every property compared, passing ones too' },
  },
});

export interface Options {
  readonly profile: Profile;
  readonly stackName: string;
  readonly jobTimeoutSeconds: number;
  readonly sendJob: boolean;
  readonly verbose: boolean;
  /** --help: print COMMAND.helpText and do nothing else. */
  readonly help: boolean;
}

export function parseOptions(argv: readonly string[]): Options {
  const values = COMMAND.parse(argv);
  if (values.help) return { profile: profileFor('dev'), stackName: '', jobTimeoutSeconds: 0, sendJob: false, verbose: false, help: true };
  if (values.profile === undefined) {
    throw COMMAND.usageError(`--profile is required: the profile the stack was deployed with (${PROFILE_NAMES.join(', ')}), e.g. --profile dev`);
  }
  const profile = profileFor(values.profile);
  return {
    profile,
    stackName: values.stack ?? `ScalingStack-${profile.name}`,
    jobTimeoutSeconds: values['job-timeout'],
    sendJob: !values['skip-job'],
    verbose: values.verbose,
    help: false,
  };
}

export { UsageError };
