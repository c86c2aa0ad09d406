// A stand-in for RDS Proxy's connection start-up rules, in front of a real PostgreSQL: it reads the
// client's StartupMessage, refuses start-up parameters the proxy refuses, and otherwise pipes bytes
// both ways. Local PostgreSQL accepts every parameter, so without this a client that can never
// connect through the real proxy passes every test.
//
// What the proxy accepts is not published as a list; this is an approximation from public sources:
// - AWS's "Troubleshooting for RDS Proxy" (docs.aws.amazon.com/AmazonRDS/latest/UserGuide/rds-proxy.troubleshooting.html)
//   lists the PostgreSQL start-up refusals: "Feature not supported: RDS Proxy currently doesn't
//   support the option option_name." for a requested option, a separate one for streaming
//   replication mode, and protocol 3.0 only;
// - n8n-io/n8n#25705 and its fix n8n-io/n8n#27295, ForumMagnum/ForumMagnum#11415 ("remove
//   statement_timeout since not supported by rds proxy"): `pg`'s `statement_timeout` start-up
//   parameter is refused;
// - stac-utils/pgstac#156: `options` (command-line options) is refused with "Feature not supported:
//   RDS Proxy currently doesn't support command-line options.".
// Accepted here: what `pg` always sends (user, database, client_encoding) and application_name.
// The real proxy accepts more (JDBC drivers, for one, send DateStyle and TimeZone); being stricter
// than the proxy errs on the side our clients need. The SQLSTATE (0A000, feature_not_supported)
// matches the messages' "Feature not supported"; the proxy's own code is not documented.
import * as net from 'node:net';
import { freePort } from '../../../tools/shared/free-port';

export const ACCEPTED_STARTUP_PARAMETERS: readonly string[] = ['user', 'database', 'client_encoding', 'application_name'];

const PROTOCOL_3_0 = 196608;
const SSL_REQUEST = 80877103;
const GSSENC_REQUEST = 80877104;
const CANCEL_REQUEST = 80877102;

/** One client connection as the double saw it. */
export interface ProxiedConnection {
  /** The StartupMessage parameters, in the order the client sent them. */
  readonly parameters: Readonly<Record<string, string>>;
  /** The refusal sent to the client, or undefined when it was let through. */
  readonly refusal?: string;
}

export class RdsProxyDouble {
  /** Every connection that sent a StartupMessage, in order. */
  readonly connections: ProxiedConnection[] = [];
  private readonly sockets = new Set<net.Socket>();

  private constructor(
    private readonly server: net.Server,
    readonly port: number,
  ) {}

  static async start(target: { host: string; port: number }): Promise<RdsProxyDouble> {
    const port = await freePort();
    // The listener runs only after `double` exists (connections arrive after listen()).
    const server = net.createServer((client) => double.accept(client, target));
    const double = new RdsProxyDouble(server, port);
    await new Promise<void>((resolve) => server.listen(port, '127.0.0.1', resolve));
    return double;
  }

  async stop(): Promise<void> {
    for (const socket of this.sockets) socket.destroy();
    await new Promise<void>((resolve) => this.server.close(() => resolve()));
  }

  private track(socket: net.Socket): void {
    this.sockets.add(socket);
    socket.once('close', () => this.sockets.delete(socket));
    socket.on('error', () => socket.destroy());
  }

  private accept(client: net.Socket, target: { host: string; port: number }): void {
    this.track(client);
    let buffered = Buffer.alloc(0);
    const onData = (chunk: Buffer) => {
      buffered = Buffer.concat([buffered, chunk]);
      // The start-up phase has untyped messages: Int32 length (itself included), Int32 code.
      while (buffered.length >= 8 && buffered.length >= buffered.readInt32BE(0)) {
        const length = buffered.readInt32BE(0);
        const code = buffered.readInt32BE(4);
        if (code === SSL_REQUEST || code === GSSENC_REQUEST) {
          // No TLS here: 'N' tells the client to go on in plain text (or give up, if it insists).
          buffered = buffered.subarray(length);
          client.write('N');
          continue;
        }
        client.off('data', onData);
        if (code === CANCEL_REQUEST) return this.pipe(client, buffered, target);
        if (code !== PROTOCOL_3_0)
          return this.refuse(client, {}, 'Feature not supported: RDS Proxy supports only version 3.0 of the PostgreSQL messaging protocol.');
        const parameters = parseParameters(buffered.subarray(8, length));
        const refusal = refusalFor(parameters);
        if (refusal) return this.refuse(client, parameters, refusal);
        this.connections.push({ parameters });
        return this.pipe(client, buffered, target);
      }
    };
    client.on('data', onData);
  }

  private refuse(client: net.Socket, parameters: Record<string, string>, message: string): void {
    this.connections.push({ parameters, refusal: message });
    client.end(errorResponse(message));
  }

  /** From here on a plain TCP proxy: `first` holds what the client sent so far. */
  private pipe(client: net.Socket, first: Buffer, target: { host: string; port: number }): void {
    const upstream = net.connect(target.port, target.host);
    this.track(upstream);
    upstream.write(first);
    client.pipe(upstream).pipe(client);
    client.once('close', () => upstream.destroy());
    upstream.once('close', () => client.destroy());
  }
}

/** The proxy's refusal for these start-up parameters, or undefined when it would let them through. */
export function refusalFor(parameters: Readonly<Record<string, string>>): string | undefined {
  if ('replication' in parameters) return "Feature not supported: RDS Proxy currently doesn't support streaming replication mode.";
  if ('options' in parameters) return "Feature not supported: RDS Proxy currently doesn't support command-line options.";
  const unsupported = Object.keys(parameters).find((name) => !ACCEPTED_STARTUP_PARAMETERS.includes(name));
  return unsupported === undefined ? undefined : `Feature not supported: RDS Proxy currently doesn't support the option ${unsupported}.`;
}

/** The StartupMessage body after the protocol version: name\0value\0 pairs, ended by \0. */
function parseParameters(body: Buffer): Record<string, string> {
  const strings = body.toString('utf8').split('\0');
  const parameters: Record<string, string> = {};
  for (let i = 0; i + 1 < strings.length && strings[i] !== ''; i += 2) parameters[strings[i]] = strings[i + 1];
  return parameters;
}

/** An ErrorResponse ('E'): severity FATAL, the SQLSTATE and the message, as PostgreSQL frames it. */
function errorResponse(message: string): Buffer {
  const fields = [
    ['S', 'FATAL'],
    ['V', 'FATAL'],
    ['C', '0A000'],
    ['M', message],
  ].map(([type, value]) => Buffer.concat([Buffer.from(type, 'ascii'), Buffer.from(value, 'utf8'), Buffer.from([0])]));
  const body = Buffer.concat([...fields, Buffer.from([0])]);
  const header = Buffer.alloc(5);
  header.write('E', 0, 'ascii');
  header.writeInt32BE(body.length + 4, 1);
  return Buffer.concat([header, body]);
}
