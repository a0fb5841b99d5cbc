/**
 * Refresh, as `terraform plan` does it before diffing: every recorded object is read back, so
 * one deleted out of band (an enforced configuration removed with
 * DeleteEnforcedGuardrailConfiguration, a policy detached) is planned as a create instead of
 * "no changes". Only a not-found answer means gone (the handlers' `exists`); a read that fails
 * otherwise rejects the whole refresh, so nothing is planned from a guess.
 */

/** Reads at most this many objects at once: the AWS client's rate limiter paces them further. */
const CONCURRENCY = 8;

/** Addresses of the recorded objects that no longer exist, sorted. */
export async function goneAddresses<T>(
  resources: Readonly<Record<string, T>>,
  exists: (address: string, recorded: T) => Promise<boolean>,
): Promise<string[]> {
  const queue = Object.entries(resources);
  const gone: string[] = [];
  const worker = async (): Promise<void> => {
    for (let next = queue.shift(); next; next = queue.shift()) {
      const [address, recorded] = next;
      if (!(await exists(address, recorded))) gone.push(address);
    }
  };
  await Promise.all(Array.from({ length: Math.min(CONCURRENCY, queue.length) }, worker));
  return gone.sort();
}
