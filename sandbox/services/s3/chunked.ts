/**
 * Request bodies as S3 receives them. SDK v3 sends flexible checksums by default: a known-length
 * body carries `x-amz-checksum-crc32` as a header, a stream goes `Content-Encoding: aws-chunked`
 * with the checksum in a trailer, and the bytes that reach the server are still framed
 * (`<hex size>[;chunk-signature=…]\r\n<data>\r\n … 0\r\n<trailer lines>\r\n\r\n`), so they must be
 * unframed before they are stored or hashed.
 * https://docs.aws.amazon.com/AmazonS3/latest/API/sigv4-streaming.html
 * https://docs.aws.amazon.com/AmazonS3/latest/userguide/checking-object-integrity.html
 */
import { createHash } from 'node:crypto';
import { crc32 } from 'node:zlib';
import { AwsError } from '../../errors.js';
import { badDigest } from './errors.js';

export interface DecodedBody {
  bytes: Buffer;
  /** Trailer fields of an aws-chunked body (lower-case names), e.g. x-amz-checksum-crc32. */
  trailers: Record<string, string>;
  /** Content-Encoding to store: the header without `aws-chunked` (undefined when nothing is left). */
  contentEncoding?: string;
}

const CRLF = Buffer.from('\r\n');

const malformed = () => new AwsError('IncompleteBody', 400, 'The request body terminated unexpectedly');

export function decodeBody(raw: Buffer, headers: Record<string, string | undefined>): DecodedBody {
  const encodings = (headers['content-encoding'] ?? '')
    .split(',')
    .map((e) => e.trim())
    .filter((e) => e !== '');
  const sha = headers['x-amz-content-sha256'] ?? '';
  const chunked = encodings.some((e) => e.toLowerCase() === 'aws-chunked') || sha.startsWith('STREAMING-');
  const rest = encodings.filter((e) => e.toLowerCase() !== 'aws-chunked');
  const contentEncoding = rest.length ? rest.join(',') : undefined;
  if (!chunked) return { bytes: raw, trailers: {}, contentEncoding };
  const { bytes, trailers } = unframe(raw);
  const declared = headers['x-amz-decoded-content-length'];
  if (declared !== undefined && Number(declared) !== bytes.length) {
    throw new AwsError('IncompleteBody', 400, 'You did not provide the number of bytes specified by the Content-Length HTTP header');
  }
  return { bytes, trailers, contentEncoding };
}

/** Strips the aws-chunked framing: chunks until the zero-size one, then trailer lines to a blank line. */
export function unframe(raw: Buffer): { bytes: Buffer; trailers: Record<string, string> } {
  const parts: Buffer[] = [];
  let pos = 0;
  for (;;) {
    const eol = raw.indexOf(CRLF, pos);
    if (eol < 0) throw malformed();
    const sizeField = raw.subarray(pos, eol).toString('latin1').split(';')[0]!.trim();
    if (!/^[0-9a-fA-F]+$/.test(sizeField)) throw malformed();
    const size = Number.parseInt(sizeField, 16);
    pos = eol + 2;
    if (size === 0) break;
    if (pos + size + 2 > raw.length || !raw.subarray(pos + size, pos + size + 2).equals(CRLF)) throw malformed();
    parts.push(raw.subarray(pos, pos + size));
    pos += size + 2;
  }
  const trailers: Record<string, string> = {};
  // Trailer lines up to an empty line (or the end: some writers omit the final CRLF).
  while (pos < raw.length) {
    const eol = raw.indexOf(CRLF, pos);
    const line = raw.subarray(pos, eol < 0 ? raw.length : eol).toString('utf8');
    pos = eol < 0 ? raw.length : eol + 2;
    if (line === '') break;
    const colon = line.indexOf(':');
    if (colon <= 0) throw malformed();
    trailers[line.slice(0, colon).trim().toLowerCase()] = line.slice(colon + 1).trim();
  }
  return { bytes: Buffer.concat(parts), trailers };
}

const DIGESTS: Record<string, (b: Buffer) => string> = {
  crc32: (b) => {
    const out = Buffer.alloc(4);
    out.writeUInt32BE(crc32(b) >>> 0);
    return out.toString('base64');
  },
  sha1: (b) => createHash('sha1').update(b).digest('base64'),
  sha256: (b) => createHash('sha256').update(b).digest('base64'),
};

/**
 * Checks the integrity values a client sent: Content-MD5, x-amz-checksum-{crc32,sha1,sha256}
 * (header or trailer) and a hex x-amz-content-sha256. CRC32C and CRC64NVME are accepted unchecked
 * (Node has no implementation). A mismatch is what S3 answers: 400 BadDigest /
 * XAmzContentSHA256Mismatch.
 */
export function verifyIntegrity(body: DecodedBody, headers: Record<string, string | undefined>): void {
  const md5 = headers['content-md5'];
  if (md5 !== undefined && createHash('md5').update(body.bytes).digest('base64') !== md5) {
    throw badDigest('The Content-MD5 you specified did not match what we received.');
  }
  for (const [alg, digest] of Object.entries(DIGESTS)) {
    const name = `x-amz-checksum-${alg}`;
    const expected = body.trailers[name] ?? headers[name];
    if (expected !== undefined && digest(body.bytes) !== expected) {
      throw badDigest(`The ${alg.toUpperCase()} you specified did not match the calculated checksum.`);
    }
  }
  const sha = headers['x-amz-content-sha256'];
  if (sha && /^[0-9a-f]{64}$/i.test(sha) && createHash('sha256').update(body.bytes).digest('hex') !== sha.toLowerCase()) {
    throw new AwsError('XAmzContentSHA256Mismatch', 400, "The provided 'x-amz-content-sha256' header does not match what was computed.");
  }
}
