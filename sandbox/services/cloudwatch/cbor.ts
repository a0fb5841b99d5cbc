/**
 * Smithy RPC v2 CBOR bodies (botocore-based tools such as the AWS CLI prefer it for CloudWatch:
 * https://smithy.io/2.0/additional-specs/protocols/smithy-rpc-v2.html), through the SDK's own
 * codec (@smithy/core/cbor). Timestamps travel as tag 1 (epoch seconds): decoded to plain
 * numbers, and numbers under the named keys encoded as tag 1.
 */
import { cbor, tag, tagSymbol } from '@smithy/core/cbor';

function untag(v: unknown): unknown {
  if (Array.isArray(v)) return v.map(untag);
  if (v && typeof v === 'object' && !(v instanceof Uint8Array)) {
    if ((v as Record<symbol, unknown>)[tagSymbol]) return untag((v as { value: unknown }).value);
    return Object.fromEntries(Object.entries(v).map(([k, x]) => [k, untag(x)]));
  }
  return v;
}

export function decodeCbor(buf: Buffer): unknown {
  return untag(cbor.deserialize(new Uint8Array(buf.buffer, buf.byteOffset, buf.byteLength)));
}

function retag(v: unknown, timestampKeys: ReadonlySet<string>, asTimestamp: boolean): unknown {
  if (typeof v === 'number' && asTimestamp) return tag({ tag: 1, value: v });
  if (Array.isArray(v)) return v.map((x) => retag(x, timestampKeys, asTimestamp));
  if (v && typeof v === 'object')
    return Object.fromEntries(
      Object.entries(v)
        .filter(([, x]) => x !== undefined)
        .map(([k, x]) => [k, retag(x, timestampKeys, timestampKeys.has(k))]),
    );
  return v;
}

/** Encodes JSON-like data; numbers under a key named in `timestampKeys` (or in such a list) become tag 1. */
export function encodeCbor(v: unknown, timestampKeys: ReadonlySet<string> = new Set()): Buffer {
  return Buffer.from(cbor.serialize(retag(v, timestampKeys, false)));
}
