/**
 * The names and descriptions this tool gives the objects it manages in AWS, with the decoders
 * beside the encoders: the constructs and the policy builder write them, the gates and the
 * engines read them back to find "their" objects again. Pure.
 */

// ─── guardrail versions ───

/** First 16 hex of a release's content hash: what the version description and the plan report show. */
export function releaseShortHash(release: { readonly contentHash: string }): string {
  return release.contentHash.slice(0, 16);
}

/**
 * Description of the guardrail version a release publishes: `release <name> sha256:<first 16 hex>`.
 * It tells releases apart in the console and in plans, and it is how the gates find a release's
 * published version again (ListGuardrails returns descriptions).
 */
export function versionDescription(release: { readonly name: string; readonly contentHash: string }): string {
  return `release ${release.name} sha256:${releaseShortHash(release)}`;
}

/** The release name and short hash a version description carries, or undefined for any other text. */
export function parseVersionDescription(description: string | undefined): { release: string; shortHash: string } | undefined {
  const m = /^release (\S+) sha256:([0-9a-f]{16})$/.exec(description ?? '');
  return m ? { release: m[1], shortHash: m[2] } : undefined;
}

// ─── organization policies ───

export const MANAGED_NAME_PREFIX = 'guardrail-rollout-';
export const MANAGED_DESCRIPTION_PREFIX = 'Managed by guardrail-rollout';
/** Organizations policy description limit (CreatePolicy `Description`, max 512). */
const MAX_DESCRIPTION = 512;

/** Name of the baseline policy a phase attaches (`guardrail-rollout-<phase>`). */
export function phasePolicyName(phase: string): string {
  return `${MANAGED_NAME_PREFIX}${phase}`;
}

/** Name of the policy that carries one exception (`guardrail-rollout-exception-<id>`). */
export function exceptionPolicyName(id: string): string {
  return `${MANAGED_NAME_PREFIX}exception-${id}`;
}

/** `Managed by guardrail-rollout; phase=…; release=…; exception=…`: empty parts left out, cut to 512. */
export function managedPolicyDescription(parts: Record<string, string | undefined>): string {
  const text = [
    MANAGED_DESCRIPTION_PREFIX,
    ...Object.entries(parts)
      .filter(([, v]) => v)
      .map(([k, v]) => `${k}=${v}`),
  ].join('; ');
  return text.length <= MAX_DESCRIPTION ? text : `${text.slice(0, MAX_DESCRIPTION - 1)}…`;
}

/** The `key=value` parts of a managed description (undefined when it is not one). */
export function parseManagedPolicyDescription(description: string | undefined): Record<string, string> | undefined {
  if (!description?.startsWith(MANAGED_DESCRIPTION_PREFIX)) return undefined;
  const parts: Record<string, string> = {};
  for (const part of description.slice(MANAGED_DESCRIPTION_PREFIX.length).split(';')) {
    const eq = part.indexOf('=');
    if (eq > 0) parts[part.slice(0, eq).trim()] = part.slice(eq + 1).trim();
  }
  return parts;
}

/** Recognizes policies this tool manages: its name prefix and its description prefix. */
export function isManagedPolicy(name: string | undefined, description: string | undefined): boolean {
  return typeof name === 'string' && name.startsWith(MANAGED_NAME_PREFIX) && parseManagedPolicyDescription(description) !== undefined;
}

/** Is this managed policy the one carrying exception `id`? By its name, or its description's `exception=<id>`. */
export function isExceptionPolicy(id: string, name: string | undefined, description: string | undefined): boolean {
  return name === exceptionPolicyName(id) || parseManagedPolicyDescription(description)?.exception === id;
}
