/**
 * Published guardrail versions of releases, as evidence: given by the caller (stack outputs)
 * or found in the owning account by the version description the guardrail construct writes
 * ("release <name> sha256:<first 16 hex of the content hash>", `versionDescription` of
 * core/naming.ts — pure, so rollout/ shares the one format without importing cdktf code).
 */
import { ListGuardrailsCommand } from '@aws-sdk/client-bedrock';
import type { Environment, Release } from '../../model/types.js';
import { versionDescription } from '../../core/naming.js';
import { allItems } from '../../core/paginate.js';
import type { AwsAccess } from '../aws/clients.js';
import type { PublishedVersion } from '../state/contracts.js';

/** `<guardrail ARN>:<version>`, the identifier a BEDROCK_POLICY references. */
export function identifierOf(p: Pick<PublishedVersion, 'guardrailArn' | 'version'>): string {
  return `${p.guardrailArn}:${p.version}`;
}

/** Finds the published version of `release` in `account`/`region` by its description; newest wins. */
export async function findPublished(
  access: AwsAccess,
  account: string,
  region: string,
  release: Release,
): Promise<PublishedVersion | undefined> {
  const bedrock = access.forAccount(account, region).bedrock;
  const want = versionDescription(release);
  const guardrails = await allItems(
    (nextToken) => bedrock.send(new ListGuardrailsCommand({ maxResults: 1000, nextToken })),
    (page) => page.nextToken,
    (page) => page.guardrails,
  );
  let best: PublishedVersion | undefined;
  for (const d of guardrails) {
    if (!d.id || !d.arn) continue;
    const versions = await allItems(
      (nextToken) => bedrock.send(new ListGuardrailsCommand({ guardrailIdentifier: d.arn, maxResults: 1000, nextToken })),
      (page) => page.nextToken,
      (page) => page.guardrails,
    );
    for (const v of versions) {
      if (v.description === want && v.version && /^\d+$/.test(v.version) && (!best || Number(v.version) > Number(best.version))) {
        best = { account, region, guardrailArn: d.arn, guardrailId: d.id, version: v.version };
      }
    }
  }
  return best;
}

/** release → region → identifier for every org-phase release in `phaseStacks`. */
export async function identifiersByRelease(
  env: Environment,
  access: AwsAccess,
  releases: readonly string[],
  given: Record<string, Record<string, PublishedVersion>>,
): Promise<{ identifiers: Record<string, Record<string, string>>; missing: Array<{ release: string; region: string }> }> {
  const identifiers: Record<string, Record<string, string>> = {};
  const missing: Array<{ release: string; region: string }> = [];
  for (const name of new Set(releases)) {
    identifiers[name] = {};
    const rel = env.releases.find((r) => r.name === name);
    for (const region of env.regions) {
      let p: PublishedVersion | undefined = given[name]?.[region];
      if (!p && rel) p = await findPublished(access, env.managementAccountId, region, rel);
      if (p) identifiers[name]![region] = identifierOf(p);
      else missing.push({ release: name, region });
    }
  }
  return { identifiers, missing };
}
