/**
 * BEDROCK_POLICY examples: the GA syntax skeleton and its effective display
 * (https://docs.aws.amazon.com/organizations/latest/userguide/orgs_manage_policies_bedrock_syntax.html,
 * docs/aws-facts.md#policy-syntax and #effective-policy-display) and the worked examples A–F of
 * docs/aws-facts.md#inheritance-worked-examples.
 */
import { effectivePolicies, effectivePolicyFor, validatePolicyDocument, enforcementByRegion } from '../../policy/index.js';

const GR = 'arn:aws:bedrock:us-east-1:111111111111:guardrail/abc123def456';
const TITAN = 'amazon.titan-embed-text-v2:0';
const COHERE = 'cohere.embed-english-v3';
const LLAMA = 'meta.llama3-1-8b-instruct-v1:0';
const cfg = (c: Record<string, unknown>) => ({ bedrock: { guardrail_inference: { 'us-east-1': { config_1: c } } } });

// Root → Workloads → Research → 333333333333; 222222222222 directly in Workloads.
const layout = (policies: { id: string; content: unknown; targets: string[] }[]) => ({
  root: 'r-ab12',
  ous: [
    { id: 'ou-workloads', parent: 'r-ab12' },
    { id: 'ou-research', parent: 'ou-workloads' },
  ],
  accounts: [
    { id: '222222222222', parent: 'ou-workloads' },
    { id: '333333333333', parent: 'ou-research' },
  ],
  policies,
});

const pRoot = cfg({
  identifier: { '@@assign': `${GR}:3` },
  selective_content_guarding: { system: { '@@assign': 'comprehensive' }, messages: { '@@assign': 'comprehensive' } },
  model_enforcement: { included_models: { '@@assign': ['ALL'] }, excluded_models: { '@@assign': [TITAN] } },
});
const exampleA = {
  identifier: `${GR}:3`,
  selective_content_guarding: { system: 'comprehensive', messages: 'comprehensive' },
  model_enforcement: { included_models: ['ALL'], excluded_models: [TITAN] },
};
const pResearch = cfg({ model_enforcement: { excluded_models: { '@@assign': [TITAN, COHERE, LLAMA] } } });
const excludedOf = (doc: unknown) => (doc as any).bedrock.guardrail_inference['us-east-1'].config_1.model_enforcement.excluded_models;

describe('Bedrock GA syntax (docs/aws-facts.md#policy-syntax → #effective-policy-display)', () => {
  const skeleton = {
    bedrock: {
      guardrail_inference: {
        'us-east-1': {
          config_1: {
            identifier: { '@@assign': `${GR}:3` },
            selective_content_guarding: { system: { '@@assign': 'comprehensive' }, messages: { '@@assign': 'comprehensive' } },
            model_enforcement: { included_models: { '@@assign': ['ALL'] }, excluded_models: { '@@assign': [TITAN, COHERE] } },
          },
        },
        'eu-west-1': { config_1: { identifier: { '@@assign': 'arn:aws:bedrock:eu-west-1:111111111111:guardrail/zyx987wvu654:1' } } },
      },
    },
  };

  test('the full skeleton is a valid document', () => {
    expect(validatePolicyDocument(skeleton, { managementAccountId: '111111111111', regions: ['us-east-1', 'eu-west-1'] })).toEqual([]);
  });

  test('its effective policy is displayed with operators stripped, exactly as AWS shows it (docs/aws-facts.md#effective-policy-display)', () => {
    const r = effectivePolicyFor(
      {
        root: 'r-1',
        ous: [],
        accounts: [{ id: '222222222222', parent: 'r-1' }],
        policies: [{ id: 'p-1', content: JSON.stringify(skeleton), targets: ['r-1'] }],
      },
      '222222222222',
    );
    expect(r.policy).toEqual(
      JSON.parse(
        '{"bedrock":{"guardrail_inference":{"us-east-1":{"config_1":{"identifier":"arn:aws:bedrock:us-east-1:111111111111:guardrail/abc123def456:3","selective_content_guarding":{"system":"comprehensive","messages":"comprehensive"},"model_enforcement":{"included_models":["ALL"],"excluded_models":["amazon.titan-embed-text-v2:0","cohere.embed-english-v3"]}}},"eu-west-1":{"config_1":{"identifier":"arn:aws:bedrock:eu-west-1:111111111111:guardrail/zyx987wvu654:1"}}}}}',
      ),
    );
    // eu-west-1 sets only the identifier: the documented defaults apply (comprehensive, all models).
    const eu = enforcementByRegion(r.policy).find((e) => e.region === 'eu-west-1')!;
    expect(eu).toMatchObject({
      version: '1',
      system: 'comprehensive',
      messages: 'comprehensive',
      includedModels: ['ALL'],
      excludedModels: [],
    });
  });

  test('legacy input_tags is read (ignore → comprehensive) but flagged', () => {
    const legacy = cfg({ identifier: { '@@assign': `${GR}:2` }, input_tags: { '@@assign': 'ignore' } });
    const r = effectivePolicyFor(
      {
        root: 'r-1',
        ous: [],
        accounts: [{ id: '222222222222', parent: 'r-1' }],
        policies: [{ id: 'p', content: legacy, targets: ['r-1'] }],
      },
      '222222222222',
    );
    expect(enforcementByRegion(r.policy)[0]).toMatchObject({
      legacyInputTags: 'ignore',
      system: 'comprehensive',
      messages: 'comprehensive',
    });
    const issues = validatePolicyDocument(legacy, { managementAccountId: '111111111111', regions: [] });
    expect(issues.map((i) => i.severity)).toEqual(['warning']);
  });
});

describe('worked inheritance examples A–F (docs/aws-facts.md#inheritance-worked-examples)', () => {
  test('A — baseline at the root applies unchanged to 222222222222', () => {
    const out = effectivePolicies(layout([{ id: 'p-root', content: pRoot, targets: ['r-ab12'] }]));
    expect(out.get('222222222222')!.policy).toEqual(cfg(exampleA));
    const prov = out.get('222222222222')!.provenance;
    expect(prov.find((p) => p.path.endsWith('.identifier'))).toMatchObject({
      policyId: 'p-root',
      node: 'r-ab12',
      nodeKind: 'root',
      operator: '@@assign',
    });
  });

  test('B — Research replaces excluded_models with @@assign; 222222222222 is unaffected', () => {
    const out = effectivePolicies(
      layout([
        { id: 'p-root', content: pRoot, targets: ['r-ab12'] },
        { id: 'p-research', content: pResearch, targets: ['ou-research'] },
      ]),
    );
    expect(out.get('333333333333')!.policy).toEqual(
      cfg({ ...exampleA, model_enforcement: { included_models: ['ALL'], excluded_models: [TITAN, COHERE, LLAMA] } }),
    );
    expect(out.get('222222222222')!.policy).toEqual(cfg(exampleA));
  });

  test('C — @@append adds to the inherited list', () => {
    const out = effectivePolicies(
      layout([
        { id: 'p-root', content: pRoot, targets: ['r-ab12'] },
        { id: 'p-c', content: cfg({ model_enforcement: { excluded_models: { '@@append': [COHERE] } } }), targets: ['ou-research'] },
      ]),
    );
    expect(excludedOf(out.get('333333333333')!.policy)).toEqual([TITAN, COHERE]);
  });

  test('D — the account narrows the exemption with @@remove (after B)', () => {
    const out = effectivePolicies(
      layout([
        { id: 'p-root', content: pRoot, targets: ['r-ab12'] },
        { id: 'p-research', content: pResearch, targets: ['ou-research'] },
        { id: 'p-d', content: cfg({ model_enforcement: { excluded_models: { '@@remove': [LLAMA] } } }), targets: ['333333333333'] },
      ]),
    );
    expect(excludedOf(out.get('333333333333')!.policy)).toEqual([TITAN, COHERE]);
  });

  test('E — a root locked at every level ignores OU overrides of the list, the identifier and the modes', () => {
    const lock = { '@@operators_allowed_for_child_policies': ['@@none'] };
    const locked = {
      bedrock: {
        ...lock,
        guardrail_inference: {
          ...lock,
          'us-east-1': {
            ...lock,
            config_1: {
              ...lock,
              identifier: { '@@assign': `${GR}:3`, ...lock },
              selective_content_guarding: {
                ...lock,
                system: { '@@assign': 'comprehensive', ...lock },
                messages: { '@@assign': 'comprehensive', ...lock },
              },
              model_enforcement: {
                ...lock,
                included_models: { '@@assign': ['ALL'], ...lock },
                excluded_models: { '@@assign': [TITAN], '@@operators_allowed_for_child_policies': ['@@remove'] },
              },
            },
          },
        },
      },
    };
    const ouChanges = cfg({ identifier: { '@@assign': `${GR}:4` }, selective_content_guarding: { messages: { '@@assign': 'selective' } } });
    const out = effectivePolicies(
      layout([
        { id: 'p-root', content: locked, targets: ['r-ab12'] },
        { id: 'p-research', content: pResearch, targets: ['ou-research'] },
        { id: 'p-ou', content: ouChanges, targets: ['ou-workloads'] },
      ]),
    );
    const r = out.get('333333333333')!;
    expect(r.policy).toEqual(cfg(exampleA));
    expect(r.ignored.map((i) => `${i.policyId}:${i.path.split('.').pop()}`).sort()).toEqual([
      'p-ou:identifier',
      'p-ou:messages',
      'p-research:excluded_models',
    ]);
  });

  test('F — two root policies allowing [@@append] and [@@append, @@remove]: children may only append', () => {
    const allow = (ops: string[]) => cfg({ model_enforcement: { excluded_models: { '@@operators_allowed_for_child_policies': ops } } });
    const out = effectivePolicies(
      layout([
        { id: 'p-root', content: pRoot, targets: ['r-ab12'] },
        { id: 'p-root-2', content: allow(['@@append']), targets: ['r-ab12'] },
        { id: 'p-root-3', content: allow(['@@append', '@@remove']), targets: ['r-ab12'] },
        {
          id: 'p-ou',
          content: cfg({ model_enforcement: { excluded_models: { '@@append': [COHERE], '@@remove': [TITAN] } } }),
          targets: ['ou-workloads'],
        },
      ]),
    );
    expect(excludedOf(out.get('222222222222')!.policy)).toEqual([TITAN, COHERE]);
    expect(out.get('222222222222')!.ignored).toEqual([
      expect.objectContaining({ operator: '@@remove', policyId: 'p-ou', allowed: ['@@append'] }),
    ]);
  });
});
