/**
 * S3's error answers: the REST-XML `<Error>` document (no namespace) with the HTTP status S3 uses,
 * https://docs.aws.amazon.com/AmazonS3/latest/API/ErrorResponses.html. The SDK takes `err.name`
 * from `<Code>` and copies the other children (BucketName, Key, Condition) onto the error.
 */
import { AwsError } from '../../errors.js';
import { xmlEscape, type SvcResponse } from '../../protocol.js';

export const noSuchBucket = (bucket: string) =>
  new AwsError('NoSuchBucket', 404, 'The specified bucket does not exist', { BucketName: bucket });

export const noSuchKey = (key: string) => new AwsError('NoSuchKey', 404, 'The specified key does not exist.', { Key: key });

export const preconditionFailed = (condition: string) =>
  new AwsError('PreconditionFailed', 412, 'At least one of the pre-conditions you specified did not hold', { Condition: condition });

/** A delete finished while a conditional write was being received (PutObject API reference). */
export const conditionalConflict = () =>
  new AwsError(
    'ConditionalRequestConflict',
    409,
    'The conditional request cannot succeed due to a conflicting operation against this resource.',
  );

export const notImplemented = (what = 'A header you provided implies functionality that is not implemented') =>
  new AwsError('NotImplemented', 501, what);

export const invalidArgument = (message: string, name?: string, value?: string) =>
  new AwsError('InvalidArgument', 400, message, name ? { ArgumentName: name, ArgumentValue: value ?? '' } : {});

export const badDigest = (message: string) => new AwsError('BadDigest', 400, message);

export const accessDenied = (message = 'Access Denied') => new AwsError('AccessDenied', 403, message);

/** `<Error><Code/><Message/>…<RequestId/><HostId/></Error>`; HEAD answers carry no body at all. */
export function s3ErrorResponse(err: AwsError, requestId: string, head: boolean): SvcResponse {
  if (head) return { status: err.status, headers: { 'x-amz-request-id': requestId }, body: '' };
  const extra = Object.entries(err.extra)
    .map(([k, v]) => `<${k}>${xmlEscape(String(v))}</${k}>`)
    .join('');
  return {
    status: err.status,
    headers: { 'content-type': 'application/xml', 'x-amz-request-id': requestId },
    body:
      `<?xml version="1.0" encoding="UTF-8"?>\n<Error><Code>${xmlEscape(err.code)}</Code><Message>${xmlEscape(err.message)}</Message>` +
      `${extra}<RequestId>${requestId}</RequestId><HostId>sandbox</HostId></Error>`,
  };
}
