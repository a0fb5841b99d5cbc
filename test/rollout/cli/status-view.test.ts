/** `rollout status` lists team additions from the file as it loads it (without definitions), applied or not. */
import { join } from 'node:path';
import { loadEnvironment, projectRoot } from '../../../model/index.js';
import { renderStatusText, statusView } from '../../../rollout/cli/views/status.js';
import { emptyState } from '../../../rollout/state/store.js';

test('a declared addition that was never applied is listed as not-applied; one only the state remembers says so', async () => {
  const env = await loadEnvironment(join(projectRoot(), 'environments', 'sandbox', 'environment.yaml'), { definitions: 'skip' });
  const state = emptyState('sandbox');
  (state as unknown as { teamAdditions: object }).teamAdditions = {
    'old-addition': { id: 'old-addition', account: '555555555552', regions: ['us-east-1'], status: 'removed', attemptId: 'a', gates: [] },
  };
  const view = statusView(env, state, new Date('2026-12-01T00:00:00Z'));
  expect(view.teamAdditions).toEqual([
    expect.objectContaining({ id: 'old-addition', declared: false, status: 'removed', owner: null }),
    expect.objectContaining({ id: 'support-bot-strict', account: '555555555551', declared: true, status: 'not-applied' }),
  ]);
  const text = renderStatusText(view);
  expect(text).toMatch(/old-addition +555555555552 {2}removed · no longer in the file/);
  expect(text).toMatch(/support-bot-strict +555555555551 {2}not-applied/);
});
