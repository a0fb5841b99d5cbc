/** The per-stack line `plan` and `promote` print while planning: counts by the report's labels. */
import { planSummaryLine } from '../../../rollout/ui/plan-summary.js';

test('one line per stack: changes by kind in the report labels, forgets read "kept in AWS"', () => {
  const planHash = '0123456789abcdef'.repeat(4);
  const change = (address: string, action: 'create' | 'forget' | 'replace-forget' | 'no-op') => ({ address, type: 't', action });
  expect(
    planSummaryLine({
      stack: 'guardrails',
      planHash,
      changes: [
        change('t.a', 'forget'),
        change('t.b', 'create'),
        change('t.c', 'no-op'),
        change('t.d', 'replace-forget'),
        change('t.e', 'create'),
      ],
    }),
  ).toBe('guardrails: 4 change(s) (2 create, 1 replace (old kept in AWS), 1 forget (kept in AWS)), plan 0123456789ab');
  expect(planSummaryLine({ stack: 'pilot', planHash, changes: [change('t.c', 'no-op')] })).toBe('pilot: 0 change(s), plan 0123456789ab');
});
