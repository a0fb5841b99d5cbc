/**
 * The server certificate for go-plugin AutoMTLS, cached between processes. Part of the provider
 * double, a TEST DOUBLE of hashicorp/aws for the local emulator (never used against AWS).
 * Terraform starts 3–5 provider processes per command, and loading and running selfsigned costs
 * about 100 ms of each start, so one localhost certificate is reused for a day from a directory only
 * this user can read (PROVIDER_DOUBLE_CERT_DIR, default <tmpdir>/provider-double-<uid>).
 * The client pins whatever certificate the handshake line carries, so reuse is safe for it.
 */
import { lstatSync, mkdirSync, readFileSync, renameSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

export interface ServerCertificate {
  readonly key: string;
  readonly cert: string;
  /** ms since epoch */
  readonly notAfter: number;
}

const DAY = 24 * 3600 * 1000;

/** A new self-signed EC P-256 certificate: sha256 (selfsigned defaults to sha1), SAN DNS localhost (Go ignores the CN). */
export async function generateServerCertificate(): Promise<ServerCertificate> {
  const { generate } = await import('selfsigned');
  const notAfter = Date.now() + 2 * DAY;
  const pems = await generate([{ name: 'commonName', value: 'localhost' }], {
    algorithm: 'sha256',
    keyType: 'ec',
    curve: 'P-256',
    notBeforeDate: new Date(Date.now() - 60_000),
    notAfterDate: new Date(notAfter),
  });
  return { key: pems.private, cert: pems.cert, notAfter };
}

function cacheDir(): string {
  return process.env.PROVIDER_DOUBLE_CERT_DIR ?? join(tmpdir(), `provider-double-${process.getuid?.() ?? 'user'}`);
}

/** Only a directory of ours that nobody else can read or write holds the key. */
function privateDir(dir: string): boolean {
  const st = lstatSync(dir);
  return st.isDirectory() && (process.getuid === undefined || st.uid === process.getuid()) && (st.mode & 0o077) === 0;
}

function readCached(file: string): ServerCertificate | undefined {
  const c = JSON.parse(readFileSync(file, 'utf8')) as Partial<ServerCertificate>;
  if (typeof c.key !== 'string' || typeof c.cert !== 'string' || typeof c.notAfter !== 'number') return undefined;
  return c.notAfter > Date.now() + DAY ? (c as ServerCertificate) : undefined;
}

/** A cached certificate valid for at least another day, else a fresh one (then cached; any cache failure is ignored). */
export async function serverCertificate(generate = generateServerCertificate): Promise<ServerCertificate> {
  const dir = cacheDir();
  const file = join(dir, 'server-cert.json');
  try {
    if (privateDir(dir)) {
      const hit = readCached(file);
      if (hit) return hit;
    }
  } catch {
    // no cache yet
  }
  const fresh = await generate();
  try {
    mkdirSync(dir, { recursive: true, mode: 0o700 });
    if (privateDir(dir)) {
      // Atomic replace: concurrent processes each read a whole file.
      const tmp = join(dir, `server-cert.${process.pid}.tmp`);
      writeFileSync(tmp, JSON.stringify(fresh), { mode: 0o600 });
      renameSync(tmp, file);
    }
  } catch {
    // caching is an optimisation only
  }
  return fresh;
}
