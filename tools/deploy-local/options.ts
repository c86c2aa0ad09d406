// Command-line options of `npm run deploy:local`, checked, with one clear message per mistake.
import { PROFILE_NAMES, profileFor, type Profile } from '../../lib/core/profiles';

export const USAGE = `usage: npm run deploy:local -- [--profile NAME]... [--endpoint URL] [--port N] [--fixture] [--verbose]

  --profile NAME   deploy only this profile (${PROFILE_NAMES.join(', ')}); repeat or comma-separate; default: all
  --endpoint URL   use a moto server already running on this machine (loopback only), e.g. http://localhost:5055
  --port N         start moto on this port (another free one if it is taken); default: any free port
  --fixture        deploy test/tools/deploy-local/fixture-app.ts, one of each resource type the
                   verifiers know, instead of the stack (to prove the verifiers)
  --verbose        show the CDK CLI's output and every passing check`;

export interface Options {
  readonly profiles: readonly Profile[];
  readonly endpoint?: string;
  readonly port?: number;
  readonly fixture: boolean;
  readonly verbose: boolean;
}

/** A mistake on the command line: the message says what is wrong and what is valid. */
export class UsageError extends Error {}

export function parseOptions(argv: readonly string[]): Options {
  const names: string[] = [];
  let endpoint: string | undefined;
  let port: number | undefined;
  let fixture = false;
  let verbose = false;
  for (let i = 0; i < argv.length; i++) {
    const [flag, inline] = argv[i].startsWith('--') && argv[i].includes('=') ? argv[i].split(/=(.*)/s, 2) : [argv[i], undefined];
    const value = (): string => {
      const v = inline ?? argv[++i];
      if (v === undefined || v.startsWith('--')) throw new UsageError(`${flag} needs a value\n\n${USAGE}`);
      return v;
    };
    switch (flag) {
      case '--profile':
        names.push(...value().split(',').map((n) => n.trim()).filter((n) => n !== ''));
        break;
      case '--endpoint':
        endpoint = loopbackEndpoint(value());
        break;
      case '--port': {
        const text = value();
        const n = Number(text);
        if (!Number.isInteger(n) || n < 1024 || n > 65535) throw new UsageError(`--port needs a whole number from 1024 to 65535, got '${text}'`);
        port = n;
        break;
      }
      case '--fixture':
        fixture = true;
        break;
      case '--verbose':
        verbose = true;
        break;
      case '--help':
      case '-h':
        throw new UsageError(USAGE);
      default:
        throw new UsageError(`unknown option '${argv[i]}'\n\n${USAGE}`);
    }
  }
  if (endpoint !== undefined && port !== undefined) throw new UsageError('--port starts a moto server and --endpoint uses a running one: pass one of them');
  const unknown = names.filter((n) => !(PROFILE_NAMES as readonly string[]).includes(n));
  if (unknown.length > 0) {
    throw new UsageError(`${unknown.map((n) => `'${n}'`).join(', ')} ${unknown.length === 1 ? 'is not a profile' : 'are not profiles'}; valid profiles are ${PROFILE_NAMES.join(', ')}`);
  }
  const wanted = names.length > 0 ? PROFILE_NAMES.filter((n) => names.includes(n)) : PROFILE_NAMES;
  return { profiles: wanted.map(profileFor), endpoint, port, fixture, verbose };
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
    throw new UsageError(`--endpoint '${text}' is not on this machine: deploy-local only talks to a loopback address (localhost, 127.0.0.1 or [::1])`);
  }
  if (url.protocol !== 'http:') throw new UsageError(`--endpoint '${text}' must use http: moto's server speaks plain HTTP on loopback`);
  if (url.port === '') throw new UsageError(`--endpoint '${text}' needs the port moto listens on, e.g. http://localhost:5055`);
  if ((url.pathname !== '/' && url.pathname !== '') || url.search || url.username) {
    throw new UsageError(`--endpoint '${text}' must be just scheme, host and port, e.g. http://localhost:${url.port}`);
  }
  return url.hostname === '[::1]' ? `http://[::1]:${url.port}` : `http://localhost:${url.port}`;
}
