/**
 * Deterministic Terraform names. Resource and output names are derived from data (release
 * names, regions, policy keys) so the same inputs always give the same addresses, and a new
 * release adds resources instead of renaming old ones. Pure: no cdktf.
 */

/** `baseline@2026.11.2` → `baseline_2026_11_2`; `us-east-1` → `us_east_1`. */
export function slug(value: string): string {
  const s = value
    .toLowerCase()
    .replace(/[^a-z0-9]+/g, '_')
    .replace(/^_+|_+$/g, '');
  if (!s) throw new Error(`cannot derive a Terraform name from ${JSON.stringify(value)}: it has no letters or digits`);
  return s;
}

export const regionSlug = slug;

/**
 * Slugs for a list of release names, refusing two names that collapse to the same slug
 * (their resources and outputs would collide).
 */
export function releaseSlugs(names: readonly string[]): Map<string, string> {
  const bySlug = new Map<string, string>();
  const out = new Map<string, string>();
  for (const name of names) {
    const s = slug(name);
    const other = bySlug.get(s);
    if (other !== undefined && other !== name) {
      throw new Error(`releases ${JSON.stringify(other)} and ${JSON.stringify(name)} map to the same Terraform name "${s}"; rename one`);
    }
    bySlug.set(s, name);
    out.set(name, s);
  }
  return out;
}

export type ReleaseOutputAttr = 'arn' | 'id' | 'version' | 'identifier';

/**
 * Output key of a published release in one region, in the `guardrails` and `pilot` stacks:
 * `release_<release slug>_<region slug>_<attr>`, e.g. `release_baseline_2026_11_2_us_east_1_identifier`.
 *   arn        unversioned guardrail ARN
 *   id         guardrail id
 *   version    numeric version published for the release
 *   identifier `<arn>:<version>`, the form a BEDROCK_POLICY `identifier` takes
 */
export function releaseOutputKey(release: string, region: string, attr: ReleaseOutputAttr): string {
  return `release_${slug(release)}_${regionSlug(region)}_${attr}`;
}
