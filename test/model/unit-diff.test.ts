/** The semantic diff of enforcement settings and exceptions (model/unit-diff.ts). */
import type { EnforcementDefaults, EnforcementException } from '../../model/types.js';
import { unitDiff } from '../../model/unit-diff.js';

const enforcement: EnforcementDefaults = {
  system: 'comprehensive',
  messages: 'selective',
  models: { included: ['ALL'], excluded: ['amazon.titan-embed-text-v2:0'] },
};
const exc: EnforcementException = {
  id: 'EXC-1',
  target: '444444444443',
  changes: { excludedModels: ['cohere.embed-multilingual-v3'] },
  owner: 'data-team',
  reason: 'embeddings',
  approver: 'ciso',
  expires: '2026-12-31',
};
const unit = (e: Partial<EnforcementDefaults> = {}, exceptions: EnforcementException[] = [exc]) => ({
  enforcement: { ...enforcement, ...e },
  exceptions,
});
const lines = (before: ReturnType<typeof unit>, after: ReturnType<typeof unit>) =>
  unitDiff(before, after).map((i) => `${i.effect}: ${i.summary}`);

test('the same settings and exceptions: no diff', () => {
  expect(unitDiff(unit(), unit())).toEqual([]);
});

test('messages selective → comprehensive strengthens; an exclusion added weakens', () => {
  expect(unitDiff(unit(), unit({ messages: 'comprehensive' }))).toEqual([
    {
      path: 'enforcement.messages',
      before: 'selective',
      after: 'comprehensive',
      effect: 'strengthens',
      summary: 'messages selective → comprehensive',
    },
  ]);
  const excluded = unit({ models: { included: ['ALL'], excluded: [...enforcement.models.excluded, 'amazon.titan-image-generator-v2:0'] } });
  expect(unitDiff(unit(), excluded)).toEqual([
    {
      path: 'enforcement.models.excluded',
      before: null,
      after: 'amazon.titan-image-generator-v2:0',
      effect: 'weakens',
      summary: 'model amazon.titan-image-generator-v2:0 newly excluded',
    },
  ]);
});

test('system comprehensive → selective and a model removed from included weaken; an exclusion dropped strengthens', () => {
  expect(
    lines(unit(), unit({ system: 'selective', models: { included: ['anthropic.claude-3-5-sonnet-20241022-v2:0'], excluded: [] } })),
  ).toEqual([
    'weakens: system comprehensive → selective',
    'weakens: model ALL removed from included',
    'strengthens: model anthropic.claude-3-5-sonnet-20241022-v2:0 newly included',
    'strengthens: model amazon.titan-embed-text-v2:0 no longer excluded',
  ]);
});

test('exceptions: added or extended weakens; shortened or no longer in force strengthens; owner is neutral', () => {
  const added = { ...exc, id: 'EXC-2', target: 'ou-sb01-dev00001', changes: { system: 'selective' as const } };
  expect(lines(unit(), unit({}, [exc, added]))).toEqual(['weakens: exception EXC-2 added (target ou-sb01-dev00001, until 2026-12-31)']);
  expect(lines(unit(), unit({}, [{ ...exc, expires: '2027-06-30', owner: 'search-team' }]))).toEqual([
    'weakens: exception EXC-1 extended 2026-12-31 → 2027-06-30',
    'neutral: exception EXC-1 owner changed',
  ]);
  expect(
    lines(
      unit(),
      unit({}, [
        { ...exc, expires: '2026-12-01', changes: { excludedModels: [...exc.changes.excludedModels!, 'cohere.embed-english-v3'] } },
      ]),
    ),
  ).toEqual([
    'strengthens: exception EXC-1 shortened 2026-12-31 → 2026-12-01',
    'weakens: exception EXC-1 now also excludes cohere.embed-english-v3',
  ]);
  expect(lines(unit(), unit({}, []))).toEqual(['strengthens: exception EXC-1 no longer in force']);
});
