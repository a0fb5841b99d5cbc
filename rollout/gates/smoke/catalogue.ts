/**
 * The model catalogue of each region (ListFoundationModels from the first sampled account):
 * which models exist (for the exclusion-id checks) and which output text (chat models are called
 * with Converse, the others with InvokeModel).
 */
import { ListFoundationModelsCommand } from '@aws-sdk/client-bedrock';
import type { CheckResult } from '../../state/contracts.js';
import type { GateRunContext } from '../context.js';
import { errorCheck } from '../result.js';

/** region → modelId → output modalities (ListFoundationModels), to route non-chat models to InvokeModel. */
export type ModelCatalogue = Map<string, Map<string, string[]>>;

/** Chat (Converse) unless the catalogue says the model outputs no text (embeddings, images). */
export function isChatModel(catalogue: ModelCatalogue | undefined, region: string, model: string): boolean {
  const mods = catalogue?.get(region)?.get(model);
  if (mods) return mods.includes('TEXT');
  return !/embed|image-generator|rerank/i.test(model);
}

export async function loadCatalogue(ctx: GateRunContext, caller: string): Promise<{ catalogue: ModelCatalogue; checks: CheckResult[] }> {
  const catalogue: ModelCatalogue = new Map();
  const checks: CheckResult[] = [];
  await Promise.all(
    ctx.env.regions.map(async (region) => {
      try {
        const out = await ctx.access.forAccount(caller, region).bedrock.send(new ListFoundationModelsCommand({}));
        catalogue.set(
          region,
          new Map((out.modelSummaries ?? []).filter((m) => m.modelId).map((m) => [m.modelId!, (m.outputModalities ?? []) as string[]])),
        );
      } catch (err) {
        checks.push(errorCheck(`smoke:models@${region}`, 'ListFoundationModels', err, { account: caller, region }));
      }
    }),
  );
  return { catalogue, checks };
}
