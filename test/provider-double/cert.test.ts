/** The AutoMTLS certificate cache of the provider double (provider-double/cert.ts). */
import { chmodSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { generateServerCertificate, type ServerCertificate, serverCertificate } from '../../provider-double/cert.js';
import { certField } from '../../provider-double/host.js';

describe('server certificate', () => {
  let root: string;
  const saved = process.env.PROVIDER_DOUBLE_CERT_DIR;
  beforeEach(() => {
    root = mkdtempSync(join(tmpdir(), 'pd-cert-'));
    process.env.PROVIDER_DOUBLE_CERT_DIR = join(root, 'cache');
  });
  afterEach(() => {
    rmSync(root, { recursive: true, force: true });
    if (saved === undefined) delete process.env.PROVIDER_DOUBLE_CERT_DIR;
    else process.env.PROVIDER_DOUBLE_CERT_DIR = saved;
  });

  const fake =
    (n: number, notAfter = Date.now() + 2 * 86_400_000) =>
    async (): Promise<ServerCertificate> => ({ key: `k${n}`, cert: `c${n}`, notAfter });

  it('generates once, then reuses the cached certificate', async () => {
    expect((await serverCertificate(fake(1))).key).toBe('k1');
    expect((await serverCertificate(fake(2))).key).toBe('k1');
  });

  it('renews a certificate that expires within a day', async () => {
    await serverCertificate(fake(1, Date.now() + 3_600_000));
    expect((await serverCertificate(fake(2))).key).toBe('k2');
  });

  it('ignores a cache directory others can read', async () => {
    await serverCertificate(fake(1));
    chmodSync(join(root, 'cache'), 0o755);
    expect((await serverCertificate(fake(2))).key).toBe('k2');
  });

  it('survives a corrupt cache file', async () => {
    await serverCertificate(fake(1));
    writeFileSync(join(root, 'cache/server-cert.json'), '{not json');
    expect((await serverCertificate(fake(3))).key).toBe('k3');
  });

  it('generates an EC certificate for localhost whose handshake field has no base64 padding', async () => {
    const c = await generateServerCertificate();
    expect(c.key).toContain('PRIVATE KEY');
    const field = certField(c.cert);
    expect(field).toMatch(/^MII[A-Za-z0-9+/]+$/);
    const { X509Certificate } = await import('node:crypto');
    const x = new X509Certificate(c.cert);
    expect(x.subjectAltName).toContain('DNS:localhost');
    expect(x.publicKey.asymmetricKeyType).toBe('ec');
    expect(Buffer.from(field, 'base64').equals(x.raw)).toBe(true);
  });
});
