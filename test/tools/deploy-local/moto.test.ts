import * as net from 'node:net';
import { choosePort, findMoto, isPortFree, MOTO_INSTALL_HINT, parseMotoLog, type RunSync } from '../../../tools/deploy-local/moto';

describe('findMoto', () => {
  test('reports the Python that has moto, and its version', () => {
    // GIVEN
    const run: RunSync = (command, args) => ({
      status: 0,
      stdout: `5.2.1\n`,
      stderr: '',
      ...(command === 'python3.12' && args[0] === '-c' ? {} : { status: 1 }),
    });
    // THEN
    expect(findMoto({ MOTO_PYTHON: 'python3.12' }, run)).toEqual({ python: 'python3.12', version: '5.2.1' });
  });

  test('moto missing: says how to install it', () => {
    // GIVEN python3 runs but cannot import moto
    const run: RunSync = () => ({ status: 1, stdout: '', stderr: "Traceback...\nModuleNotFoundError: No module named 'moto'\n" });
    // THEN
    expect(() => findMoto({}, run)).toThrow(
      `moto is not installed: python3 cannot import moto's server (ModuleNotFoundError: No module named 'moto').\n  Install it with: ${MOTO_INSTALL_HINT}`,
    );
    expect(MOTO_INSTALL_HINT).toBe('pip install "moto[server]"');
  });

  test('no Python at all: says so, and how to install moto', () => {
    const run: RunSync = () => ({ status: null, stdout: '', stderr: '', error: new Error('spawnSync python3 ENOENT') });
    expect(() => findMoto({}, run)).toThrow(
      /^moto is not installed: python3 could not be run \(spawnSync python3 ENOENT\)\.\n {2}Install it with: pip install "moto\[server\]"/,
    );
  });
});

describe('ports', () => {
  let taken: net.Server;
  let takenPort: number;
  beforeAll(async () => {
    taken = net.createServer();
    await new Promise<void>((resolve) => taken.listen(0, '127.0.0.1', resolve));
    takenPort = (taken.address() as net.AddressInfo).port;
  });
  afterAll(() => new Promise<void>((resolve) => taken.close(() => resolve())));

  test('a port someone listens on is not free', async () => {
    expect(await isPortFree(takenPort)).toBe(false);
  });

  test('a taken port: another one is picked, and the user is told', async () => {
    // GIVEN
    const notes: string[] = [];
    // WHEN
    const port = await choosePort(takenPort, (line) => notes.push(line));
    // THEN
    expect(port).not.toBe(takenPort);
    expect(await isPortFree(port)).toBe(true);
    expect(notes).toEqual([`port ${takenPort} on 127.0.0.1 is taken; using ${port} instead`]);
  });

  test('a free port is used as asked, silently', async () => {
    const free = await choosePort(undefined, () => undefined);
    const notes: string[] = [];
    expect(await choosePort(free, (line) => notes.push(line))).toBe(free);
    expect(notes).toEqual([]);
  });
});

describe('parseMotoLog', () => {
  const log = [
    '127.0.0.1 - - [26/Nov/2026 05:22:17] "POST / HTTP/1.1" 200 -',
    'WARNING: No Moto CloudFormation support for AWS::CDK::Metadata',
    "/site-packages/moto/cloudformation/parsing.py:341: UserWarning: Tried to parse AWS::SQS::QueuePolicy but it's not supported by moto's CloudFormation implementation",
    'ERROR: moto could not create DatabaseB269D8BB (AWS::RDS::DBInstance): MissingParameterError: The request must contain the parameter size/snapshot',
    "ERROR: error running docker: Error while fetching server API version: ('Connection aborted.', FileNotFoundError(2, 'No such file or directory'))",
  ].join('\n');

  test('finds the types moto skipped, the resources it failed, and whether Lambda code could run', () => {
    // WHEN
    const parsed = parseMotoLog(log);
    // THEN
    expect([...parsed.unsupportedTypes].sort()).toEqual(['AWS::CDK::Metadata', 'AWS::SQS::QueuePolicy']);
    expect(parsed.failures).toEqual([
      {
        logicalId: 'DatabaseB269D8BB',
        type: 'AWS::RDS::DBInstance',
        reason: 'MissingParameterError: The request must contain the parameter size/snapshot',
      },
    ]);
    expect(parsed.lambdaNotRun).toBe(true);
  });

  test('a clean log: nothing skipped, nothing failed', () => {
    expect(parseMotoLog('127.0.0.1 - - "POST / HTTP/1.1" 200 -')).toEqual({ unsupportedTypes: new Set(), failures: [], lambdaNotRun: false });
  });
});
