// Certificate authorities and server certificates of the test's own, made with the openssl command
// line in a temporary directory, to play the RDS CA and an instance's certificate.
import { execFileSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';

export interface TestPki {
  readonly dir: string;
  /** A CA certificate (PEM) and the files of its key and certificate. */
  ca(name: string): string;
  /** A server key and certificate signed by CA `caName`, for the DNS names given. Returns their paths. */
  serverCertificate(caName: string, dnsNames: readonly string[]): { keyFile: string; certFile: string };
  remove(): void;
}

export function createTestPki(): TestPki {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'test-pki-'));
  // A server started as another user (PostgreSQL runs as `postgres` when the tests run as root)
  // must reach the files.
  fs.chmodSync(dir, 0o755);
  const openssl = (...args: string[]) => execFileSync('openssl', args, { cwd: dir, stdio: ['ignore', 'pipe', 'pipe'] });
  const file = (name: string) => path.join(dir, name);
  return {
    dir,
    ca(name) {
      if (!fs.existsSync(file(`${name}.crt`))) {
        openssl(
          'req',
          '-x509',
          '-newkey',
          'rsa:2048',
          '-nodes',
          '-days',
          '2',
          '-subj',
          `/CN=${name}`,
          '-addext',
          'basicConstraints=critical,CA:TRUE',
          '-addext',
          'keyUsage=critical,keyCertSign,cRLSign',
          '-keyout',
          file(`${name}.key`),
          '-out',
          file(`${name}.crt`),
        );
      }
      return fs.readFileSync(file(`${name}.crt`), 'utf8');
    },
    serverCertificate(caName, dnsNames) {
      this.ca(caName);
      const base = `server-${caName}-${dnsNames.join('-')}`;
      openssl('req', '-newkey', 'rsa:2048', '-nodes', '-subj', `/CN=${dnsNames[0]}`, '-keyout', file(`${base}.key`), '-out', file(`${base}.csr`));
      fs.writeFileSync(file(`${base}.ext`), `subjectAltName=${dnsNames.map((n) => `DNS:${n}`).join(',')}\nextendedKeyUsage=serverAuth\n`);
      openssl(
        'x509',
        '-req',
        '-in',
        file(`${base}.csr`),
        '-CA',
        file(`${caName}.crt`),
        '-CAkey',
        file(`${caName}.key`),
        '-CAcreateserial',
        '-days',
        '2',
        '-extfile',
        file(`${base}.ext`),
        '-out',
        file(`${base}.crt`),
      );
      return { keyFile: file(`${base}.key`), certFile: file(`${base}.crt`) };
    },
    remove() {
      fs.rmSync(dir, { recursive: true, force: true });
    },
  };
}
