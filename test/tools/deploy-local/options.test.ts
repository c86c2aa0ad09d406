import { loopbackEndpoint, parseOptions, UsageError } from '../../../tools/deploy-local/options';

describe('parseOptions', () => {
  test('every profile by default, in order of size', () => {
    // WHEN
    const options = parseOptions([]);
    // THEN
    expect(options.profiles.map((p) => p.name)).toEqual(['dev', 'staging', 'prod']);
    expect(options).toMatchObject({ fixture: false, verbose: false, endpoint: undefined, port: undefined });
  });

  test('--profile picks profiles, repeated or comma-separated, in order of size', () => {
    expect(parseOptions(['--profile', 'prod', '--profile=dev']).profiles.map((p) => p.name)).toEqual(['dev', 'prod']);
    expect(parseOptions(['--profile', 'staging,dev']).profiles.map((p) => p.name)).toEqual(['dev', 'staging']);
  });

  test('an unknown profile is one message that lists the valid ones', () => {
    expect(() => parseOptions(['--profile', 'qa'])).toThrow(new UsageError("--profile 'qa' is not a profile; valid profiles are dev, staging, prod"));
    expect(() => parseOptions(['--profile', 'qa,uat'])).toThrow("--profile 'qa', 'uat' are not profiles; valid profiles are dev, staging, prod");
  });

  test('--port takes an unprivileged port, and not together with --endpoint', () => {
    expect(parseOptions(['--port', '5055']).port).toBe(5055);
    expect(() => parseOptions(['--port', '80'])).toThrow("--port needs a whole number from 1024 to 65535, got '80'");
    expect(() => parseOptions(['--port', 'x'])).toThrow("--port needs a whole number from 1024 to 65535, got 'x'");
    expect(() => parseOptions(['--port', '5055', '--endpoint', 'http://localhost:5055'])).toThrow(
      '--port starts a moto server and --endpoint uses a running one: pass one of them',
    );
  });

  test('unknown options and missing values name the option and show the usage', () => {
    expect(() => parseOptions(['--fast'])).toThrow(/^unknown option '--fast'\n\nUsage: npm run deploy:local/);
    expect(() => parseOptions(['--profile'])).toThrow(/^--profile needs a value/);
  });

  test('--help is a request, not an error (it used to print the usage and exit 2)', () => {
    expect(parseOptions(['--help']).help).toBe(true);
    expect(parseOptions(['-h', '--port', '80']).help).toBe(true);
    expect(parseOptions([]).help).toBe(false);
  });
});

describe('loopbackEndpoint', () => {
  test('loopback addresses become http://localhost:PORT (moto serves asset URLs by that name)', () => {
    expect(loopbackEndpoint('http://127.0.0.1:5055')).toBe('http://localhost:5055');
    expect(loopbackEndpoint('http://localhost:5055/')).toBe('http://localhost:5055');
    expect(loopbackEndpoint('http://[::1]:5055')).toBe('http://[::1]:5055');
  });

  test('anything but loopback is refused', () => {
    expect(() => loopbackEndpoint('https://cloudformation.us-east-1.amazonaws.com')).toThrow(
      "--endpoint 'https://cloudformation.us-east-1.amazonaws.com' is not on this machine: deploy-local only talks to a loopback address (localhost, 127.0.0.1 or [::1])",
    );
    expect(() => loopbackEndpoint('http://10.0.0.5:5055')).toThrow(/is not on this machine/);
    expect(() => loopbackEndpoint('http://localhost.example.com:5055')).toThrow(/is not on this machine/);
  });

  test('malformed loopback endpoints say what is wrong', () => {
    expect(() => loopbackEndpoint('localhost:5055')).toThrow("--endpoint 'localhost:5055' must start with http://, e.g. http://localhost:5055");
    expect(() => loopbackEndpoint('not a url')).toThrow(
      "--endpoint 'not a url' is not a URL; give the loopback address of a moto server, e.g. http://localhost:5055",
    );
    expect(() => loopbackEndpoint('https://localhost:5055')).toThrow(
      "--endpoint 'https://localhost:5055' must use http: moto's server speaks plain HTTP on loopback",
    );
    expect(() => loopbackEndpoint('http://localhost')).toThrow(
      "--endpoint 'http://localhost' needs the port moto listens on, e.g. http://localhost:5055",
    );
    expect(() => loopbackEndpoint('http://localhost:5055/moto')).toThrow(
      "--endpoint 'http://localhost:5055/moto' must be just scheme, host and port, e.g. http://localhost:5055",
    );
  });
});
