/** Where `rollout plan --out <path>` puts the markdown report and the plan file (rollout/flows/plan-out.ts). */
import { planOutPaths } from '../../../rollout/flows/plan-out.js';

test.each([
  ['review/', false, 'review/pilot.md', 'review/pilot.plan.json'],
  ['review', true, 'review/pilot.md', 'review/pilot.plan.json'],
  ['pilot.plan.json', false, 'pilot.md', 'pilot.plan.json'],
  ['out/plan.json', false, 'out/plan.md', 'out/plan.json'],
  ['report.md', false, 'report.md', 'report.plan.json'],
  ['report', false, 'report', 'report.plan.json'],
])('--out %s (a directory: %s) → markdown %s, plan file %s', (out, isDir, markdown, plan) => {
  expect(planOutPaths(out, 'pilot', isDir)).toEqual({ markdown, plan });
});
