import { execFileSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';

/**
 * A private certificate authority for a test, made with `openssl` (Debian's, installed by .ci/run)
 * in a temporary folder: a CA, a server certificate it signs for 127.0.0.1 and localhost (what a
 * client on loopback checks the server's name against), and a second CA that signed nothing, for
 * the case where a client must refuse the server. Keys are unencrypted: they live for one test.
 */
export interface CertificateFiles {
  readonly certFile: string;
  /** The certificate as PEM text (what n8n's DB_POSTGRESDB_SSL_CA carries). */
  readonly pem: string;
}

export interface TestCa {
  readonly dir: string;
  readonly ca: CertificateFiles;
  readonly server: CertificateFiles & { readonly keyFile: string };
  /** An unrelated CA: it did not sign `server`, so a client trusting only it must refuse. */
  readonly otherCa: CertificateFiles;
  remove(): void;
}

function openssl(cwd: string, args: string[]): void {
  try {
    execFileSync('openssl', args, { cwd, stdio: ['ignore', 'ignore', 'pipe'], timeout: 30_000 });
  } catch (error) {
    const stderr = (error as { stderr?: Buffer }).stderr?.toString() ?? '';
    throw new Error(`openssl ${args[0]} failed (is Debian's openssl installed? .ci/run does): ${stderr}`, {
      cause: error,
    });
  }
}

function selfSignedCa(dir: string, name: string, commonName: string): { certFile: string; keyFile: string } {
  const certFile = path.join(dir, `${name}.pem`);
  const keyFile = path.join(dir, `${name}.key`);
  openssl(dir, [
    'req',
    '-x509',
    '-newkey',
    'rsa:2048',
    '-nodes',
    '-keyout',
    keyFile,
    '-out',
    certFile,
    '-days',
    '2',
    '-subj',
    `/CN=${commonName}`,
    '-addext',
    'basicConstraints=critical,CA:TRUE',
    '-addext',
    'keyUsage=critical,keyCertSign,cRLSign',
  ]);
  return { certFile, keyFile };
}

export function makeTestCa(): TestCa {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'test-ca-'));
  const ca = selfSignedCa(dir, 'ca', 'InfluenceGen test CA');
  const other = selfSignedCa(dir, 'other-ca', 'Unrelated test CA');

  const keyFile = path.join(dir, 'server.key');
  const csr = path.join(dir, 'server.csr');
  const certFile = path.join(dir, 'server.pem');
  const extensions = path.join(dir, 'server.ext');
  // Clients on loopback connect by IP: node's TLS checks the IP against the IP SANs, not the CN.
  fs.writeFileSync(
    extensions,
    [
      'basicConstraints=CA:FALSE',
      'keyUsage=critical,digitalSignature,keyEncipherment',
      'extendedKeyUsage=serverAuth',
      'subjectAltName=IP:127.0.0.1,DNS:localhost',
    ].join('\n'),
  );
  openssl(dir, [
    'req',
    '-newkey',
    'rsa:2048',
    '-nodes',
    '-keyout',
    keyFile,
    '-out',
    csr,
    '-subj',
    '/CN=localhost',
  ]);
  openssl(dir, [
    'x509',
    '-req',
    '-in',
    csr,
    '-CA',
    ca.certFile,
    '-CAkey',
    ca.keyFile,
    '-CAcreateserial',
    '-out',
    certFile,
    '-days',
    '2',
    '-extfile',
    extensions,
  ]);
  const read = (file: string) => fs.readFileSync(file, 'utf8');
  return {
    dir,
    ca: { certFile: ca.certFile, pem: read(ca.certFile) },
    server: { certFile, keyFile, pem: read(certFile) },
    otherCa: { certFile: other.certFile, pem: read(other.certFile) },
    remove: () => fs.rmSync(dir, { recursive: true, force: true }),
  };
}
