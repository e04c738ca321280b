import { execFileSync } from 'node:child_process';
import { X509Certificate } from 'node:crypto';
import { chmodSync, existsSync, mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { isIP } from 'node:net';
import { hostname } from 'node:os';
import { join, resolve } from 'node:path';

export interface SelfSignedPair {
  certPath: string;
  keyPath: string;
  /** Names and addresses the certificate is valid for. */
  hosts: string[];
  /** SHA-256 fingerprint, for comparing with what a browser shows. */
  fingerprint: string;
}

export class CertificateError extends Error {}

const HOST_NAME = /^(\*\.)?[a-z0-9]([a-z0-9-]*[a-z0-9])?(\.[a-z0-9]([a-z0-9-]*[a-z0-9])?)*$/i;

/** This machine's names: what a browser on it or on the local network is likely to open. */
export const defaultHosts = () => [...new Set(['localhost', hostname().toLowerCase(), '127.0.0.1', '::1'])];

/**
 * Writes `cert.pem` and `key.pem` (P-256, valid 825 days, a subjectAltName entry per host) into
 * `dir` with openssl. Refuses to replace an existing pair unless `overwrite`.
 */
export function createSelfSignedPair(dir: string, hosts: string[], overwrite = false): SelfSignedPair {
  const bad = hosts.filter((h) => isIP(h) === 0 && !HOST_NAME.test(h));
  if (bad.length > 0) throw new CertificateError(`not a host name or IP address: ${bad.join(', ')}`);
  const out = resolve(dir);
  const certPath = join(out, 'cert.pem');
  const keyPath = join(out, 'key.pem');
  if (!overwrite && (existsSync(certPath) || existsSync(keyPath))) throw new CertificateError(`${out} already holds a certificate or key (--force replaces them)`);
  mkdirSync(out, { recursive: true });
  // The key file is private before openssl writes a byte into it.
  writeFileSync(keyPath, '', { mode: 0o600 });
  chmodSync(keyPath, 0o600);
  const san = hosts.map((h) => (isIP(h) ? `IP:${h}` : `DNS:${h}`)).join(',');
  try {
    execFileSync(
      'openssl',
      ['req', '-x509', '-newkey', 'ec', '-pkeyopt', 'ec_paramgen_curve:prime256v1', '-nodes', '-days', '825', '-subj', '/CN=Tradewire development',
        '-addext', `subjectAltName=${san}`, '-addext', 'extendedKeyUsage=serverAuth', '-keyout', keyPath, '-out', certPath],
      { stdio: 'pipe' },
    );
  } catch (e) {
    const err = e as NodeJS.ErrnoException & { stderr?: Buffer };
    rmSync(keyPath, { force: true });
    rmSync(certPath, { force: true });
    throw new CertificateError(err.code === 'ENOENT' ? 'openssl is not installed' : `openssl failed: ${String(err.stderr ?? err.message).trim()}`);
  }
  const cert = new X509Certificate(readFileSync(certPath));
  return { certPath, keyPath, hosts, fingerprint: cert.fingerprint256 };
}
