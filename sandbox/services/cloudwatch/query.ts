/**
 * CloudWatch's older awsQuery protocol (SDK clients before awsJson1_0, some tools): a form body
 * `Action=GetMetricData&Version=2010-08-01&MetricDataQueries.member.1.Id=…`, XML answers in
 * the namespace below, ISO-8601 timestamps; errors are `<ErrorResponse>` (protocol.ts errorResponse).
 * https://smithy.io/2.0/aws/protocols/aws-query-protocol.html
 */
import { xmlEscape, type SvcResponse } from '../../protocol.js';

const NS = 'http://monitoring.amazonaws.com/doc/2010-08-01/';
const NUMERIC = new Set(['Period', 'MaxDatapoints']);
const BOOLEAN = new Set(['ReturnData', 'IncludeLinkedAccounts']);

type Node = Record<string, unknown>;

/** The form parameters as the JSON shape (`X.member.N.Y` → `X: [{ Y }]`), with numbers and booleans typed. */
export function parseQueryParams(params: URLSearchParams): Node {
  const root: Node = {};
  for (const [key, raw] of params) {
    if (key === 'Action' || key === 'Version') continue;
    const parts = key.split('.');
    let node: Node | unknown[] = root;
    for (let i = 0; i < parts.length; i++) {
      const part = parts[i];
      const last = i === parts.length - 1;
      if (Array.isArray(node)) continue; // handled below via "member"
      if (parts[i + 1] === 'member' && i + 2 < parts.length) {
        const list = ((node as Node)[part] ??= []) as Node[];
        const index = Number(parts[i + 2]) - 1;
        if (!Number.isInteger(index) || index < 0 || index > 1000) break;
        if (i + 3 === parts.length) {
          (list as unknown[])[index] = raw;
          break;
        }
        list[index] ??= {};
        node = list[index];
        i += 2;
        continue;
      }
      if (last) {
        (node as Node)[part] = NUMERIC.has(part) ? Number(raw) : BOOLEAN.has(part) ? raw === 'true' : raw;
      } else {
        node = ((node as Node)[part] ??= {}) as Node;
      }
    }
  }
  compact(root);
  return root;
}

/** Lists given as member.1, member.3 leave holes: drop them. */
function compact(v: unknown): void {
  if (Array.isArray(v)) {
    for (let i = v.length - 1; i >= 0; i--) if (v[i] === undefined) v.splice(i, 1);
    v.forEach(compact);
  } else if (v && typeof v === 'object') for (const x of Object.values(v)) compact(x);
}

function toXml(name: string, v: unknown, isTimestamp = false): string {
  if (v === undefined || v === null) return '';
  if (Array.isArray(v)) {
    const ts = name === 'Timestamps';
    return `<${name}>${v.map((x) => toXml('member', x, ts)).join('')}</${name}>`;
  }
  if (typeof v === 'object')
    return `<${name}>${Object.entries(v as Node)
      .map(([k, x]) => toXml(k, x))
      .join('')}</${name}>`;
  const text = isTimestamp && typeof v === 'number' ? new Date(v * 1000).toISOString() : String(v);
  return `<${name}>${xmlEscape(text)}</${name}>`;
}

export function queryResponse(operation: string, result: Node, requestId: string): SvcResponse {
  return {
    status: 200,
    headers: { 'content-type': 'text/xml' },
    body:
      `<${operation}Response xmlns="${NS}">${toXml(`${operation}Result`, result)}` +
      `<ResponseMetadata><RequestId>${requestId}</RequestId></ResponseMetadata></${operation}Response>`,
  };
}
