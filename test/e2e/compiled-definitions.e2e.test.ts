/**
 * The compiled CLI (dist/) loads a release definition (environments/<name>/guardrails/*.ts) into
 * the same classes it checks: same content hash and the same Automated Reasoning reading as from
 * source. Needs a fresh dist/ (`npm run build`; `npm ci` builds it); skipped without one, since
 * jest itself never depends on dist/.
 */
import { execFileSync } from 'node:child_process';
import { pathToFileURL } from 'node:url';
import { resolve } from 'node:path';
import { loadEnvironment } from '../../model/index.js';
import { hasAutomatedReasoning } from '../../guardrail/definition.js';
// @ts-expect-error plain JavaScript without types (shared with bin/rollout.mjs)
import { distIsFresh } from '../../scripts/cli-stamp.mjs';

const fresh = (distIsFresh as () => boolean)();

(fresh ? test : test.skip)('dist/ reads the sandbox releases as the sources do (content hash, instanceof checks)', async () => {
  const dist = pathToFileURL(resolve('dist')).href;
  const script = `
    const { loadEnvironment } = await import('${dist}/model/index.js');
    const { hasAutomatedReasoning, GuardrailDefinition } = await import('${dist}/guardrail/definition.js');
    const env = await loadEnvironment('sandbox');
    console.log(JSON.stringify(env.releases.map((r) => [r.name, r.contentHash, hasAutomatedReasoning(r.definition), r.definition instanceof GuardrailDefinition])));
  `;
  const out = execFileSync(process.execPath, ['--input-type=module', '-e', script], {
    encoding: 'utf8',
    env: { ...process.env, NODE_OPTIONS: '' },
  });
  const env = await loadEnvironment('sandbox');
  const expected = env.releases.map((r) => [r.name, r.contentHash, hasAutomatedReasoning(r.definition), true]);
  expect(JSON.parse(out)).toEqual(expected);
});
