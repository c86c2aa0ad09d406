// Command-line options of `npm run deploy:local`, checked, with one clear message per mistake.
import { PROFILE_NAMES, profileFor, type Profile } from '../../lib/core/profiles';
import { defineCommand, UsageError } from '../shared/cli';

export const COMMAND = defineCommand({
  usage: 'npm run deploy:local -- [--profile <name>]... [--endpoint <url> | --port <n>] [--fixture] [--verbose]',
  options: {
    profile: {
      type: 'string',
      placeholder: '<name>',
      list: true,
      choices: PROFILE_NAMES,
      noun: 'profile',
      help: `deploy only this profile (${PROFILE_NAMES.join(', ')}); repeat or comma-separate; default: all`,
    },
    endpoint: {
      type: 'string',
      placeholder: '<url>',
      help: 'use a moto server already running on this machine (loopback only), e.g. http://localhost:5055',
    },
    port: {
      type: 'integer',
      placeholder: '<n>',
      min: 1024,
      max: 65535,
      help: 'start moto on this port (another free one if it is taken); default: any free port',
    },
    fixture: {
      type: 'boolean',
      help: 'deploy test/tools/deploy-local/fixture-app.ts, one of each resource type the verifiers know, instead of the stack (to prove the verifiers)',
    },
    verbose: { type: 'boolean', help: "show the CDK CLI's output and every passing check" },
  },
});

export interface Options {
  readonly profiles: readonly Profile[];
  readonly endpoint?: string;
  readonly port?: number;
  readonly fixture: boolean;
  readonly verbose: boolean;
  /** --help: print COMMAND.helpText and do nothing else. */
  readonly help: boolean;
}

export { UsageError };

export function parseOptions(argv: readonly string[]): Options {
  const { profile: names, endpoint, port, fixture, verbose, help } = COMMAND.parse(argv);
  if (endpoint !== undefined && port !== undefined)
    throw new UsageError('--port starts a moto server and --endpoint uses a running one: pass one of them');
  const wanted = names.length > 0 ? PROFILE_NAMES.filter((n) => names.includes(n)) : PROFILE_NAMES;
  return {
    profiles: wanted.map(profileFor),
    endpoint: endpoint === undefined ? undefined : loopbackEndpoint(endpoint),
    port,
    fixture,
    verbose,
    help,
  };
}

const LOOPBACK_HOSTS = new Set(['localhost', '127.0.0.1', '[::1]']);

/**
 * The endpoint the CLI and SDK get: `http://localhost:PORT`. Only loopback addresses are accepted,
 * so a typo can never send a deploy anywhere else; 127.0.0.1 becomes `localhost` because moto
 * serves asset and template URLs by that name.
 */
export function loopbackEndpoint(text: string): string {
  let url: URL;
  try {
    url = new URL(text);
  } catch {
    throw new UsageError(`--endpoint '${text}' is not a URL; give the loopback address of a moto server, e.g. http://localhost:5055`);
  }
  if (url.protocol !== 'http:' && url.protocol !== 'https:') {
    throw new UsageError(`--endpoint '${text}' must start with http://, e.g. http://localhost:5055`);
  }
  if (!LOOPBACK_HOSTS.has(url.hostname)) {
    throw new UsageError(
      `--endpoint '${text}' is not on this machine: deploy-local only talks to a loopback address (localhost, 127.0.0.1 or [::1])`,
    );
  }
  if (url.protocol !== 'http:') throw new UsageError(`--endpoint '${text}' must use http: moto's server speaks plain HTTP on loopback`);
  if (url.port === '') throw new UsageError(`--endpoint '${text}' needs the port moto listens on, e.g. http://localhost:5055`);
  if ((url.pathname !== '/' && url.pathname !== '') || url.search || url.username) {
    throw new UsageError(`--endpoint '${text}' must be just scheme, host and port, e.g. http://localhost:${url.port}`);
  }
  return url.hostname === '[::1]' ? `http://[::1]:${url.port}` : `http://localhost:${url.port}`;
}
