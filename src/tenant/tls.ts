/**
 * The local tenant's HTTPS certificate: generated once, kept beside the database, and exported as PEM so clients
 * can trust it (`NODE_EXTRA_CA_CERTS`, or `tls.setDefaultCACertificates`). `@azure/identity` only accepts https
 * authorities, so HTTPS is what makes the real credential classes work against the local tenant.
 */
import { existsSync, mkdirSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

export interface TlsMaterial {
  key: string;
  cert: string;
  /** Where the certificate's PEM was written (beside the database, or in a temporary directory). */
  certPath: string | undefined;
}

export async function loadOrCreateCertificate(dir: string | undefined): Promise<TlsMaterial> {
  if (dir) {
    const keyPath = join(dir, 'tls-key.pem');
    const certPath = join(dir, 'tls-cert.pem');
    if (existsSync(keyPath) && existsSync(certPath)) {
      return { key: readFileSync(keyPath, 'utf8'), cert: readFileSync(certPath, 'utf8'), certPath };
    }
    const made = await createCertificate();
    mkdirSync(dir, { recursive: true });
    writeFileSync(keyPath, made.key, { mode: 0o600 });
    writeFileSync(certPath, made.cert);
    return { ...made, certPath };
  }
  // An in-memory tenant still exports its certificate, so other processes can trust it.
  const made = await createCertificate();
  const certPath = join(mkdtempSync(join(tmpdir(), 'accord-tls-')), 'tls-cert.pem');
  writeFileSync(certPath, made.cert);
  return { ...made, certPath };
}

async function createCertificate(): Promise<{ key: string; cert: string }> {
  const notBefore = new Date(Date.now() - 60_000);
  const notAfter = new Date(notBefore.getTime() + 5 * 365 * 24 * 3600 * 1000);
  // Loaded on demand: certificate generation is rare and the library is slow to load.
  const { generate } = await import('selfsigned');
  const pems = await generate([{ name: 'commonName', value: 'localhost' }], {
    keySize: 2048,
    algorithm: 'sha256',
    notBeforeDate: notBefore,
    notAfterDate: notAfter,
    extensions: [
      { name: 'basicConstraints', cA: true },
      { name: 'keyUsage', digitalSignature: true, keyEncipherment: true, keyCertSign: true, critical: true },
      { name: 'extKeyUsage', serverAuth: true },
      {
        name: 'subjectAltName',
        altNames: [
          { type: 2, value: 'localhost' },
          { type: 7, ip: '127.0.0.1' },
          { type: 7, ip: '::1' },
        ],
      },
    ],
  });
  return { key: pems.private, cert: pems.cert };
}
