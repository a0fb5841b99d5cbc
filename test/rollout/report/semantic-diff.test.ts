/** The report's "What changes for the guardrail" section (rollout/report/semantic-diff.ts) and its JSON fields. */
import type { Environment } from '../../../model/types.js';
import { promotedUnit } from '../../../model/unit.js';
import { effectiveDiff } from '../../../rollout/report/effective-diff.js';
import { buildPlanReport, renderPlanMarkdown, type ReportInput } from '../../../rollout/report/report.js';
import { renderSemanticDiff, semanticDiff } from '../../../rollout/report/semantic-diff.js';
import { emptyState } from '../../../rollout/state/store.js';
import { FIXTURE_AS_OF, R1, R2, sandboxEnvironment } from '../../helpers/sandbox-fixture.js';

let env: Environment;
beforeAll(async () => {
  env = await sandboxEnvironment();
});
const unitOf = (release: string, e: Environment = env) => promotedUnit(e, release, FIXTURE_AS_OF);
const render = (d: ReturnType<typeof semanticDiff>, currentRelease: string | null = R2) =>
  renderSemanticDiff({ phase: 'pilot', guardrailDiffBasis: d.basis, guardrailDiff: d.items, currentRelease }).join('\n');

test('a first promotion into an empty phase: no diff, and the section says so', () => {
  const d = semanticDiff(env, null, unitOf(R2));
  expect(d).toEqual({ basis: 'nothing-in-force', items: [] });
  expect(render(d, null)).toBe(
    '\n### What changes for the guardrail\n\nNothing is in force on pilot yet: no diff (a first promotion weakens nothing).',
  );
});

test('a weakening unit: one table per policy type, weakening rows marked', () => {
  // R2 → R1 drops what 2026.11.2 added; the exclusion added is a weakening of the enforcement half.
  const excluded = {
    ...env,
    enforcement: { ...env.enforcement, models: { included: ['ALL'], excluded: [...env.enforcement.models.excluded, 'm1'] } },
  };
  const md = render(semanticDiff(env, unitOf(R2), unitOf(R1, excluded)));
  expect(md).toContain('**11 weakening change(s)**: promote refuses them unless `--accept-weakening "<reason>"` is given.');
  expect(md).toContain(
    [
      '**PII entities**',
      '',
      '| effect | change | before | after |',
      '|---|---|---|---|',
      '| ⚠ weakens | PII entity AWS_ACCESS_KEY removed (was BLOCK) | present | — |',
      '| ⚠ weakens | PII entity INTERNATIONAL_BANK_ACCOUNT_NUMBER removed (was BLOCK) | present | — |',
      '| ⚠ weakens | PII entity PASSWORD removed (was BLOCK) | present | — |',
    ].join('\n'),
  );
  expect(md).toContain(
    '**Prompt attack**\n\n| effect | change | before | after |\n|---|---|---|---|\n| ⚠ weakens | prompt attack filter no longer reads IMAGE input | TEXT, IMAGE | TEXT |',
  );
  expect(md).toContain(
    '**Enforcement settings**\n\n| effect | change | before | after |\n|---|---|---|---|\n| ⚠ weakens | model m1 newly excluded | — | m1 |',
  );
  expect(md).toContain(
    '| neutral | description changed: Organization-wide baseline guardrail (sandbox), release 2026.11.2 → Organization-wide baseline guardrail (sandbox), release 2026.11.1 | Organization-wide baseline guardrail (sandbox), release 2026.11.2 | Organization-wide baseline guardrail (sandbox), release 2026.11.1 |',
  );
});

test('the plan report carries guardrailDiff and weakening, and its markdown the section', () => {
  const state = emptyState(env.name);
  const input: ReportInput = {
    env,
    phase: 'pilot',
    release: R1,
    currentRelease: R2,
    asOf: FIXTURE_AS_OF,
    engine: 'test',
    state,
    plans: [],
    effective: effectiveDiff(env, state, {}, { pilot: R1 }, FIXTURE_AS_OF),
    semantic: semanticDiff(env, unitOf(R2), unitOf(R1)),
  };
  const report = buildPlanReport(input);
  expect(report.guardrailDiffBasis).toBe('in-force');
  expect(report.weakening.map((i) => i.path)).toEqual([
    'contentFilters.INSULTS.inputStrength',
    'contentFilters.INSULTS.outputStrength',
    'promptAttack.inputModalities',
    'topics.Credential Sharing',
    'piiEntities.AWS_ACCESS_KEY',
    'piiEntities.INTERNATIONAL_BANK_ACCOUNT_NUMBER',
    'piiEntities.PASSWORD',
    'regexes.internal-ticket-token',
    'words.operation larkspur',
    'contextualGrounding.GROUNDING.threshold',
  ]);
  expect(report.guardrailDiff).toHaveLength(11);
  expect(renderPlanMarkdown(report)).toContain('### What changes for the guardrail\n\n**10 weakening change(s)**');
  // Reports built without a semantic diff (old callers) have no section.
  const old = buildPlanReport({ ...input, semantic: undefined });
  expect(old).toMatchObject({ guardrailDiffBasis: null, guardrailDiff: [], weakening: [] });
  expect(renderPlanMarkdown(old)).not.toContain('What changes for the guardrail');
});
