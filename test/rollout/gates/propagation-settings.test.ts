/** `phases.<phase>.propagationTimeout` as the propagation gate reads it. */
import { join } from 'node:path';
import { loadEnvironment, projectRoot } from '../../../model/index.js';
import { PHASES } from '../../../model/types.js';
import { DEFAULT_PROPAGATION_TIMEOUT_SECONDS } from '../../../rollout/gates/index.js';

test('the sandbox environment waits at most 5s per phase; an environment without the key gets the 5-minute default', async () => {
  const sandbox = await loadEnvironment(join(projectRoot(), 'environments', 'sandbox', 'environment.yaml'));
  for (const p of PHASES) expect(sandbox.phases[p].propagationTimeoutSeconds).toBe(5);
  const prod = await loadEnvironment(join(projectRoot(), 'environments', 'example-prod', 'environment.yaml'));
  for (const p of PHASES) expect(prod.phases[p].propagationTimeoutSeconds).toBeUndefined();
  expect(DEFAULT_PROPAGATION_TIMEOUT_SECONDS).toBe(300);
});
