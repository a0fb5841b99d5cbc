/**
 * An AWS-shaped error raised by a sandbox service handler. The server turns it into the
 * protocol's envelope (restJson1 header + body, awsJson1_1 __type, awsQuery XML) so the
 * SDK raises the matching exception class.
 */
export class AwsError extends Error {
  constructor(
    readonly code: string, // e.g. "ValidationException", "PolicyNotFoundException"
    readonly status: number, // HTTP status
    message: string,
    readonly extra: Record<string, unknown> = {}, // e.g. { Reason: "..." } for Organizations
  ) {
    super(message);
    this.name = code;
  }
}
