/**
 * Published guardrail versions of releases, as evidence: given by the caller (stack outputs)
 * or found in the owning account by the version description the guardrail construct writes
 * ("release <name> sha256:<first 16 hex of the content hash>", modules/naming.ts — pure, so
 * rollout/ shares the one format without importing cdktf code).
 */
import { ListGuardrailsCommand } from '@aws-sdk/client-bedrock';
import type { Environment, Release } from '../../model/types.js';
import { versionDescription } from '../../core/naming.js';
import type { AwsAccess } from '../aws/clients.js';
import type { PublishedVersion } from '../state/contracts.js';

/** The description the guardrail construct gives a release's version (one format, modules/naming.ts). */
export const versionDescriptionOf: (release: Pick<Release, 'name' | 'contentHash'>) => string = versionDescription;

export function identifierOf(p: PublishedVersion): string {
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
  const want = versionDescriptionOf(release);
  const drafts: Array<{ id: string; arn: string }> = [];
  let nextToken: string | undefined;
  do {
    const out = await bedrock.send(new ListGuardrailsCommand({ maxResults: 1000, nextToken }));
    for (const g of out.guardrails ?? []) if (g.id && g.arn) drafts.push({ id: g.id, arn: g.arn });
    nextToken = out.nextToken || undefined;
  } while (nextToken);
  let best: PublishedVersion | undefined;
  for (const d of drafts) {
    let tok: string | undefined;
    do {
      const out = await bedrock.send(new ListGuardrailsCommand({ guardrailIdentifier: d.arn, maxResults: 1000, nextToken: tok }));
      for (const v of out.guardrails ?? []) {
        if (v.description === want && v.version && /^\d+$/.test(v.version) && (!best || Number(v.version) > Number(best.version))) {
          best = { account, region, guardrailArn: d.arn, guardrailId: d.id, version: v.version };
        }
      }
      tok = out.nextToken || undefined;
    } while (tok);
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
