/** Hostile `rollout effective --org` snapshots (issue 10, item 9): exit 2 naming file and path, never a crash. */
import { runCli, writeTemp } from '../../helpers/run-cli.js';
import { effectiveTable } from '../../../rollout/cli/commands/effective.js';
import { cellText, renderMarkdownTable, renderTable } from '../../../rollout/cli/views/preview.js';
import { enforcementByRegion, operatorProblems } from '../../../policy/index.js';

const ARN = 'arn:aws:bedrock:us-east-1:111111111111:guardrail/abc:3';
const CFG = 'bedrock.guardrail_inference.us-east-1.config_1';
const docWith = (config: Record<string, unknown>) => ({ bedrock: { guardrail_inference: { 'us-east-1': { config_1: config } } } });
const snapshot = (content: unknown) => ({
  root: 'r-1',
  ous: [{ id: 'ou-a', parent: 'r-1' }],
  accounts: [{ id: '111111111111', parent: 'ou-a' }],
  policies: [{ id: 'p-1', content, targets: ['ou-a'] }],
});

async function effective(content: unknown, json = false) {
  const file = writeTemp('org.json', snapshot(content));
  return { file, ...(await runCli(['effective', '--org', file, ...(json ? ['--json'] : [])])) };
}

describe('rollout effective: hostile policy contents exit 2 naming the file, the path and what was expected', () => {
  test.each([
    [
      'an unknown operator',
      { identifier: { '@@assignn': ARN } },
      `${CFG}.identifier.@@assignn`,
      /unknown operator @@assignn; expected @@assign, @@append, @@remove/,
    ],
    [
      '@@append on the scalar identifier',
      { identifier: { '@@append': [ARN] } },
      `${CFG}.identifier.@@append`,
      /@@append applies to lists only; "identifier" takes one string/,
    ],
    [
      '@@remove on a guarding mode',
      { selective_content_guarding: { system: { '@@remove': ['selective'] } } },
      `${CFG}.selective_content_guarding.system.@@remove`,
      /@@remove applies to lists only/,
    ],
    [
      '@@assign of a list where a string is expected',
      { identifier: { '@@assign': [ARN] } },
      `${CFG}.identifier.@@assign`,
      /expected a string for "identifier", got a list/,
    ],
    [
      '@@assign of a string where a list is expected',
      { model_enforcement: { included_models: { '@@assign': 'ALL' } } },
      `${CFG}.model_enforcement.included_models.@@assign`,
      /expected a list of strings for "included_models", got the string "ALL"/,
    ],
    ['a bare object under a scalar', { identifier: { arn: ARN } }, `${CFG}.identifier.arn`, /unknown key inside the setting "identifier"/],
    ['a value operator on a container', { '@@assign': { identifier: ARN } }, `${CFG}.@@assign`, /@@assign is not allowed on "config_1"/],
    [
      'a child-control that is not a list',
      { identifier: { '@@assign': ARN, '@@operators_allowed_for_child_policies': '@@none' } },
      `${CFG}.identifier.@@operators_allowed_for_child_policies`,
      /expected a non-empty list of @@all, @@none, @@assign, @@append, @@remove, got the string "@@none"/,
    ],
    [
      'an empty child-control list',
      { identifier: { '@@assign': ARN, '@@operators_allowed_for_child_policies': [] } },
      `${CFG}.identifier.@@operators_allowed_for_child_policies`,
      /got an empty list/,
    ],
    [
      'an unknown child-control entry',
      { identifier: { '@@assign': ARN, '@@operators_allowed_for_child_policies': ['@@assign', '@@replace'] } },
      `${CFG}.identifier.@@operators_allowed_for_child_policies[1]`,
      /unknown entry "@@replace"/,
    ],
    [
      '@@none mixed with others',
      { identifier: { '@@assign': ARN, '@@operators_allowed_for_child_policies': ['@@none', '@@assign'] } },
      `${CFG}.identifier.@@operators_allowed_for_child_policies`,
      /@@none must be used alone/,
    ],
  ])('%s', async (_, config, path, message) => {
    for (const content of [docWith(config), JSON.stringify(docWith(config))]) {
      const r = await effective(content);
      expect(r.code).toBe(2);
      expect(r.err).toContain(`${r.file} at policies[0].content.${path}: `);
      expect(r.err).toMatch(message);
      expect(r.err).not.toMatch(/padEnd|TypeError/);
    }
  });

  test('--json reports the same InputError as one document', async () => {
    const file = writeTemp('org.json', snapshot(docWith({ identifier: { '@@append': [ARN] } })));
    const r = await runCli(['--json', 'effective', '--org', file]);
    expect(r.code).toBe(2);
    expect(JSON.parse(r.out)).toMatchObject({
      ok: false,
      error: { type: 'InputError', file, path: `policies[0].content.${CFG}.identifier.@@append` },
    });
  });

  test('generic documents (tag policies): unknown operators and bad child control are errors too; lenient readings stay', async () => {
    expect(operatorProblems({ tags: { cc: { tag_key: { '@@asign': 'CostCenter' } } } })).toEqual([
      { path: 'tags.cc.tag_key.@@asign', message: expect.stringMatching(/unknown operator @@asign/) },
    ]);
    expect(operatorProblems({ tags: { '@@operators_allowed_for_child_policies': ['@@all', '@@append'] } })[0].path).toBe(
      'tags.@@operators_allowed_for_child_policies',
    );
    expect(operatorProblems({ tags: { cc: { tag_key: { '@@assign': 'x' }, tag_value: { '@@append': 'one' } } } })).toEqual([]);
    expect(operatorProblems({ tags: { cc: { '@@assign': 'x', nested: { '@@assign': 'y' } } } })[0].message).toMatch(
      /both value operators and child keys/,
    );
  });

  test('a valid document still works', async () => {
    const ok = docWith({
      identifier: { '@@assign': ARN, '@@operators_allowed_for_child_policies': ['@@assign'] },
      model_enforcement: { included_models: { '@@assign': ['ALL'] }, excluded_models: { '@@append': ['cohere.embed-english-v3'] } },
    });
    const r = await effective(ok);
    expect(r.code).toBe(0);
    expect(r.out).toMatch(/111111111111\s+us-east-1\s+arn:aws:bedrock/);
  });
});

describe('tables never crash on odd values', () => {
  test('odd effective values are rendered as JSON', () => {
    const policy = {
      bedrock: {
        guardrail_inference: {
          'us-east-1': {
            config_1: {
              identifier: [ARN, 'x'],
              selective_content_guarding: { system: { a: 1 }, messages: 7 },
              model_enforcement: { included_models: 'ALL', excluded_models: { not: 'a list' } },
            },
          },
        },
      },
    };
    const [e] = enforcementByRegion(policy);
    expect(e).toMatchObject({
      identifier: JSON.stringify([ARN, 'x']),
      system: '{"a":1}',
      messages: '7',
      includedModels: ['ALL'],
      excludedModels: ['{"not":"a list"}'],
    });
    const table = effectiveTable(new Map([['111111111111', { policy, provenance: [], sources: [], ignored: [] }]]));
    expect(table).toContain('["arn:aws:bedrock:us-east-1:111111111111:guardrail/abc:3","x"]');
    expect(table).toContain('{"not":"a list"}');
  });

  test('cells of any type', () => {
    expect(cellText(undefined)).toBe('');
    expect(cellText(null)).toBe('');
    expect(cellText(3)).toBe('3');
    expect(cellText(['a', 1])).toBe('["a",1]');
    const cyclic: Record<string, unknown> = {};
    cyclic.self = cyclic;
    expect(cellText(cyclic)).toBe('[object Object]');
    expect(renderTable(['a', 'b'], [[{ x: 1 }, 2]])).toMatch(/\{"x":1\}\s+2/);
    expect(renderMarkdownTable(['a'], [['x|y\nz']])).toContain('x\\|y z');
  });
});
