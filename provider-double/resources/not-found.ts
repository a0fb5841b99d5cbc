/**
 * AWS error classification for the TEST DOUBLE of hashicorp/aws (never used against AWS): which
 * SDK errors mean "the object is gone" (read returns null, Terraform plans a re-create; delete
 * succeeds), mirroring tfresource.NotFound / errs.IsA in the provider.
 * https://github.com/hashicorp/terraform-provider-aws/blob/main/internal/tfresource/not_found_error.go
 */
import { ProviderError } from '../types.js';

export function errorName(err: unknown): string {
  const e = err as { name?: unknown; Code?: unknown; code?: unknown } | null;
  return String(e?.name ?? e?.Code ?? e?.code ?? '');
}

/** The error is one of `names` (SDK exception names such as ResourceNotFoundException). */
export function isError(err: unknown, ...names: string[]): boolean {
  return names.includes(errorName(err));
}

/** The value of `fn`, or undefined when it fails with one of `names`. */
export async function unlessNotFound<T>(fn: () => Promise<T>, ...names: string[]): Promise<T | undefined> {
  try {
    return await fn();
  } catch (err) {
    if (isError(err, ...names)) return undefined;
    throw err;
  }
}

/** An SDK failure as the error diagnostic the provider would print ("creating X (id): …"). */
export function apiError(action: string, err: unknown): ProviderError {
  const message = err instanceof Error ? err.message : String(err);
  const name = errorName(err);
  return new ProviderError(action, name && !message.startsWith(name) ? `${name}: ${message}` : message);
}

/** Runs an SDK call; a failure becomes a ProviderError labelled with `action`. */
export async function call<T>(action: string, fn: () => Promise<T>): Promise<T> {
  try {
    return await fn();
  } catch (err) {
    if (err instanceof ProviderError) throw err;
    throw apiError(action, err);
  }
}
