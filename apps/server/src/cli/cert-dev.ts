import { parseArgs } from 'node:util';
import { CertificateError, createSelfSignedPair, defaultHosts } from './self-signed.js';

const USAGE = `usage: npm run cert:dev -- [--out DIR] [--force] [HOST ...]

Makes a self-signed certificate and key (default: ./data/tls/cert.pem and key.pem) for trying
HTTPS and HTTP/2. It is valid for localhost, this machine's name, 127.0.0.1, ::1 and every HOST
given (names or IP addresses a phone or laptop on your network will open).`;

class UsageError extends Error {}

function main(argv: string[]) {
  let parsed;
  try {
    parsed = parseArgs({ args: argv, allowPositionals: true, options: { out: { type: 'string' }, force: { type: 'boolean' }, help: { type: 'boolean', short: 'h' } } });
  } catch (e) {
    throw new UsageError((e as Error).message);
  }
  if (parsed.values.help) throw new UsageError('');
  const pair = createSelfSignedPair(parsed.values.out ?? './data/tls', [...new Set([...defaultHosts(), ...parsed.positionals])], parsed.values.force);
  console.log(`Certificate for ${pair.hosts.join(', ')}
SHA-256 ${pair.fingerprint}

Serve HTTPS with HTTP/2:
  TLS_CERT=${pair.certPath} TLS_KEY=${pair.keyPath} npm start
Browsers warn about a self-signed certificate: compare the fingerprint above, then accept it.`);
}

try {
  main(process.argv.slice(2));
} catch (e) {
  if (e instanceof UsageError || e instanceof CertificateError) {
    console.error(e.message ? `${e.message}\n\n${USAGE}` : USAGE);
    process.exitCode = 2;
  } else throw e;
}
