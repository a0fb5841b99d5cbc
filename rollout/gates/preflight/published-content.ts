/**
 * `preflight:content@<region>`: the published version snapshotted the release's definition
 * (not some other DRAFT) — `GetGuardrail(arn, version)` against `toBedrockApiInput` of the
 * definition, both normalised for service defaults (guardrail/wire.ts). Name and description
 * are not compared: GetGuardrail at a version returns the VERSION's description.
 */
import { GetGuardrailCommand } from '@aws-sdk/client-bedrock';
import { canonicalJson } from '../../../core/canonical-json.js';
import { GUARDRAIL_VERSION_PATTERN } from '../../../core/patterns.js';
import { guardrailOutputAsInput, normaliseGuardrailConfig, toBedrockApiInput } from '../../../guardrail/wire.js';
import type { CheckResult } from '../../state/contracts.js';
import { releaseOf } from '../context.js';
import type { Check } from '../gate.js';
import { errorCheck, runAll } from '../result.js';
import { versionAutomatedReasoningCheck } from './automated-reasoning.js';

export const publishedContentCheck: Check = {
  ids: ['preflight:content', 'preflight:automated-reasoning'],
  run: async (ctx) => {
    const release = releaseOf(ctx);
    const want = normaliseGuardrailConfig({
      ...toBedrockApiInput(release.definition.toSpec()),
      name: undefined,
      description: undefined,
    } as Record<string, unknown>);
    const entries = Object.values(ctx.published).filter((p) => GUARDRAIL_VERSION_PATTERN.test(p.version));
    return runAll(entries, ctx.concurrency ?? 16, async (p) => {
      const id = `preflight:content@${p.region}`;
      try {
        const g = await ctx.access
          .forAccount(p.account, p.region)
          .bedrock.send(new GetGuardrailCommand({ guardrailIdentifier: p.guardrailArn, guardrailVersion: p.version }));
        const got = normaliseGuardrailConfig({ ...guardrailOutputAsInput(g), name: undefined, description: undefined });
        const content: CheckResult =
          canonicalJson(got) === canonicalJson(want)
            ? {
                id,
                status: 'passed',
                account: p.account,
                region: p.region,
                detail: `version ${p.version} has the content of ${release.name}`,
              }
            : {
                id,
                status: 'failed',
                account: p.account,
                region: p.region,
                detail: `version ${p.version} does not have the content of ${release.name}: it snapshotted a different DRAFT (content hash mismatch)`,
                evidence: { expected: want, actual: got },
              };
        return [content, versionAutomatedReasoningCheck(p, g)];
      } catch (err) {
        return [errorCheck(id, `GetGuardrail ${p.guardrailArn}:${p.version}`, err, { account: p.account, region: p.region })];
      }
    });
  },
};
