/**
 * S3 wire details below the SDK: aws-chunked framing (unsigned trailer and signed chunks),
 * virtual-hosted addressing, presigned-style query credentials and the error XML.
 */
import http from 'node:http';
import { createHash } from 'node:crypto';
import { crc32 } from 'node:zlib';
import type { SandboxHandle } from '../../sandbox/index.js';
import { unframe } from '../../sandbox/services/s3/chunked.js';
import { MGMT, start } from '../helpers/sandbox.js';

const AUTH = `AWS4-HMAC-SHA256 Credential=AKIA${MGMT}SBX0/20261201/us-east-1/s3/aws4_request, SignedHeaders=host, Signature=00`;

let sb: SandboxHandle;
beforeAll(async () => {
  sb = await start({ buckets: ['wire'] });
});
afterAll(async () => {
  await sb.close();
});

function request(
  method: string,
  path: string,
  headers: Record<string, string>,
  body?: Buffer | string,
): Promise<{ status: number; headers: http.IncomingHttpHeaders; body: string }> {
  const url = new URL(sb.endpoint);
  return new Promise((resolve, reject) => {
    const req = http.request({ host: url.hostname, port: url.port, method, path, headers }, (res) => {
      const chunks: Buffer[] = [];
      res.on('data', (c: Buffer) => chunks.push(c));
      res.on('end', () => resolve({ status: res.statusCode!, headers: res.headers, body: Buffer.concat(chunks).toString('utf8') }));
    });
    req.on('error', reject);
    req.end(body);
  });
}

test('unframe: the chunks of an aws-chunked body and its trailer', () => {
  const raw = Buffer.from('3\r\nabc\r\n3\r\ndef\r\n0\r\nx-amz-checksum-crc32:S4457w==\r\n\r\n');
  expect(unframe(raw)).toEqual({ bytes: Buffer.from('abcdef'), trailers: { 'x-amz-checksum-crc32': 'S4457w==' } });
  expect(() => unframe(Buffer.from('5\r\nabc\r\n0\r\n\r\n'))).toThrow('terminated unexpectedly');
});

test('signed aws-chunked (chunk-signature extensions) is unframed and its trailer checksum checked', async () => {
  const crc = Buffer.alloc(4);
  crc.writeUInt32BE(crc32(Buffer.from('wire!!')) >>> 0);
  const framed = (checksum: string) =>
    `4;chunk-signature=aa\r\nwire\r\n2;chunk-signature=bb\r\n!!\r\n0;chunk-signature=cc\r\nx-amz-checksum-crc32:${checksum}\r\n\r\n`;
  const headers = {
    authorization: AUTH,
    'content-encoding': 'aws-chunked',
    'x-amz-content-sha256': 'STREAMING-AWS4-HMAC-SHA256-PAYLOAD-TRAILER',
    'x-amz-decoded-content-length': '6',
  };
  const bad = await request('PUT', '/wire/signed', headers, framed('AAAAAA=='));
  expect(bad.status).toBe(400);
  expect(bad.body).toContain('<Code>BadDigest</Code>');

  const ok = await request('PUT', '/wire/signed', headers, framed(crc.toString('base64')));
  expect(ok.status).toBe(200);
  expect(ok.headers.etag).toBe(`"${createHash('md5').update('wire!!').digest('hex')}"`);
  const got = await request('GET', '/wire/signed', { authorization: AUTH });
  expect(got.body).toBe('wire!!');
});

test('a decoded length that disagrees with x-amz-decoded-content-length is refused', async () => {
  const r = await request(
    'PUT',
    '/wire/short',
    { authorization: AUTH, 'content-encoding': 'aws-chunked', 'x-amz-decoded-content-length': '10' },
    '3\r\nabc\r\n0\r\n\r\n',
  );
  expect(r.status).toBe(400);
  expect(r.body).toContain('<Code>IncompleteBody</Code>');
});

test('virtual-hosted Host: <bucket>.localhost addresses the bucket; keys keep empty segments and a trailing slash', async () => {
  const host = { authorization: AUTH, host: `wire.localhost:${new URL(sb.endpoint).port}` };
  expect((await request('PUT', '/dir//x/', host, 'vh')).status).toBe(200);
  const list = await request('GET', '/?list-type=2&prefix=dir%2F', host);
  expect(list.body).toContain('<Key>dir//x/</Key>');
  expect((await request('GET', '/wire/dir//x/', { authorization: AUTH })).body).toBe('vh');
});

test('query-string (presigned) credentials are accepted; no credentials at all is AccessDenied', async () => {
  await request('PUT', '/wire/presigned', { authorization: AUTH }, 'p');
  const cred = encodeURIComponent(`AKIA${MGMT}SBX0/20261201/us-east-1/s3/aws4_request`);
  const r = await request('GET', `/wire/presigned?X-Amz-Algorithm=AWS4-HMAC-SHA256&X-Amz-Credential=${cred}&X-Amz-Signature=00`, {});
  expect(r.body).toBe('p');
  const anonymous = await request('GET', '/wire/presigned', { host: `wire.localhost:${new URL(sb.endpoint).port}` });
  expect(anonymous.status).toBe(403);
  expect(anonymous.body).toContain('<Code>AccessDenied</Code>');
});

test('errors are S3 XML with RequestId; HEAD errors have no body', async () => {
  const r = await request('GET', '/wire/missing?x-id=GetObject', { authorization: AUTH });
  expect(r.status).toBe(404);
  expect(r.headers['content-type']).toBe('application/xml');
  expect(r.body).toMatch(
    /^<\?xml[^>]*>\n<Error><Code>NoSuchKey<\/Code><Message>The specified key does not exist\.<\/Message><Key>missing<\/Key><RequestId>[0-9a-f-]{36}<\/RequestId>/,
  );
  expect(r.headers['x-amz-request-id']).toMatch(/^[0-9a-f-]{36}$/);
  const h = await request('HEAD', '/wire/missing', { authorization: AUTH });
  expect(h.status).toBe(404);
  expect(h.body).toBe('');
});
