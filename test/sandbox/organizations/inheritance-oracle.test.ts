/**
 * The emulator's own Organizations inheritance (sandbox/organizations/inheritance.ts) against the
 * policy engine (policy/): on random organizations and random BEDROCK_POLICY documents, every
 * account gets the same effective policy from both, or "none" from both. The two share no code;
 * where AWS is silent both follow the readings of docs/policy-engine.md ("Where AWS is silent").
 * One end-to-end check goes through the real SDK and DescribeEffectivePolicy.
 */
import {
  AttachPolicyCommand,
  CreatePolicyCommand,
  DescribeEffectivePolicyCommand,
  OrganizationsClient,
} from '@aws-sdk/client-organizations';
import fc from 'fast-check';
import { effectivePolicies, type OrgSnapshot } from '../../../policy/index.js';
import { effectivePolicyOf } from '../../../sandbox/organizations/inheritance.js';
import { cfg, MGMT, NESTED, OU_PROD, OU_WORK, PILOT, PROD, ROOT, start, testEnv } from '../../helpers/sandbox.js';

const CTL = '@@operators_allowed_for_child_policies';
const REGIONS = ['us-east-1', 'eu-west-1'];
const CONFIGS = ['config_1', 'config_2'];
const ARNS = ['a', 'b', 'c'].map((g) => `arn:aws:bedrock:us-east-1:111111111111:guardrail/${g}${g}${g}:1`);
const MODELS = ['ALL', 'amazon.nova-lite-v1:0', 'anthropic.claude-3-haiku-20240307-v1:0', 'meta.llama3-8b-instruct-v1:0'];

/** A random tree: each OU's parent is the root or an earlier OU; accounts hang anywhere. */
const tree = fc
  .record({
    ouParents: fc.array(fc.nat(), { maxLength: 6 }),
    accountParents: fc.array(fc.nat(), { minLength: 1, maxLength: 6 }),
  })
  .map(({ ouParents, accountParents }) => {
    const ous = ouParents.map((p, i) => ({
      id: `ou-r0t0-${String(i).padStart(8, '0')}`,
      parent: p % (i + 1) === 0 ? 'r-r0t0' : `ou-r0t0-${String((p % (i + 1)) - 1).padStart(8, '0')}`,
    }));
    const nodes = ['r-r0t0', ...ous.map((o) => o.id)];
    const accounts = accountParents.map((p, i) => ({ id: String(200000000000 + i), parent: nodes[p % nodes.length] }));
    return { root: 'r-r0t0', ous, accounts };
  });

/** Child-control lists, valid ones only (docs/policy-engine.md: @@all, @@none or a subset). */
const ctlList = fc.oneof(fc.constantFrom(['@@all'], ['@@none']), fc.subarray(['@@assign', '@@append', '@@remove'], { minLength: 1 }));
/** Sometimes adds a child-control list to a key (leaf setting or container). */
const withCtl = <T extends object>(arb: fc.Arbitrary<T>) =>
  fc.tuple(arb, fc.option(ctlList, { freq: 3, nil: undefined })).map(([v, c]) => (c ? { ...v, [CTL]: c } : v));

/**
 * A setting: a random mix of @@assign / @@append / @@remove (several at once, or none), or now and
 * then a bare value (read as @@assign). Scalars get list operators too, as a careless author writes.
 */
const setting = (scalar: fc.Arbitrary<unknown>, list: fc.Arbitrary<unknown[]>) => {
  const values = fc.oneof({ weight: 4, arbitrary: list }, { weight: 1, arbitrary: scalar });
  return fc.oneof(
    {
      weight: 9,
      arbitrary: withCtl(fc.record({ '@@assign': fc.oneof(scalar, list), '@@append': values, '@@remove': values }, { requiredKeys: [] })),
    },
    { weight: 1, arbitrary: scalar },
  );
};
const identifier = setting(fc.constantFrom(...ARNS), fc.subarray(ARNS));
const mode = setting(fc.constantFrom('comprehensive', 'selective'), fc.subarray(['comprehensive', 'selective']));
const models = setting(fc.constantFrom(...MODELS), fc.subarray(MODELS));

/** A container holds settings, or now and then is @@assign-ed whole (an object value). */
const container = (keys: Record<string, fc.Arbitrary<unknown>>, whole: fc.Arbitrary<unknown>) =>
  fc.oneof(
    { weight: 9, arbitrary: withCtl(fc.record(keys, { requiredKeys: [] })) },
    { weight: 1, arbitrary: withCtl(fc.record({ '@@assign': whole })) },
  );
const config = withCtl(
  fc.record(
    {
      identifier,
      selective_content_guarding: container(
        { system: mode, messages: mode },
        fc.record({ system: fc.constantFrom('comprehensive', 'selective') }),
      ),
      model_enforcement: container(
        { included_models: models, excluded_models: models },
        fc.record({ included_models: fc.subarray(MODELS), excluded_models: fc.subarray(MODELS) }),
      ),
    },
    { requiredKeys: [] },
  ),
);
const keyed = <T>(keys: string[], value: fc.Arbitrary<T>) =>
  fc
    .uniqueArray(fc.constantFrom(...keys), { minLength: 1, maxLength: keys.length })
    .chain((ks) => fc.tuple(...ks.map((k) => value.map((v) => [k, v] as const))))
    .map((entries) => Object.fromEntries(entries));
const document = withCtl(fc.record({ guardrail_inference: withCtl(keyed(REGIONS, withCtl(keyed(CONFIGS, config)))) })).map((bedrock) => ({
  bedrock,
}));

/** An organization with up to 8 policies, each attached to any set of nodes (several per node). */
const organization: fc.Arbitrary<OrgSnapshot> = tree.chain((t) => {
  const nodes = [t.root, ...t.ous.map((o) => o.id), ...t.accounts.map((a) => a.id)];
  return fc.array(fc.record({ content: document, targets: fc.subarray(nodes) }), { minLength: 1, maxLength: 8 }).map((ps) => ({
    ...t,
    // Ids not in creation order, so the per-node id order is exercised.
    policies: ps.map((p, i) => ({
      id: `p-${String((i * 7919) % 1000).padStart(8, '0')}`,
      content: JSON.stringify(p.content),
      targets: p.targets,
    })),
  }));
});

describe('the emulator’s inheritance agrees with the policy engine', () => {
  test('same effective policy (or none) for every account of random organizations', () => {
    fc.assert(
      fc.property(organization, (org) => {
        const engine = effectivePolicies(org);
        for (const a of org.accounts) {
          const sandbox = effectivePolicyOf(org, org.policies, a.id);
          expect({ account: a.id, effective: sandbox }).toEqual({ account: a.id, effective: engine.get(a.id)!.policy });
        }
      }),
      { numRuns: Number(process.env.ORACLE_RUNS ?? 500) },
    );
  });

  test('DescribeEffectivePolicy through the SDK equals the engine for every account', async () => {
    const sb = await start();
    try {
      const org = new OrganizationsClient(cfg(sb, MGMT));
      const [a, b] = [ARNS[0].replace('us-east-1', 'eu-west-1'), ARNS[1].replace('us-east-1', 'eu-west-1')];
      const docs: [target: string, doc: unknown][] = [
        [
          ROOT,
          {
            bedrock: {
              guardrail_inference: {
                'eu-west-1': {
                  config_1: {
                    identifier: { '@@assign': a, [CTL]: ['@@assign'] },
                    selective_content_guarding: { system: { '@@assign': 'comprehensive', [CTL]: ['@@none'] } },
                    model_enforcement: {
                      included_models: { '@@assign': ['ALL'], [CTL]: ['@@none'] },
                      excluded_models: { '@@assign': [MODELS[1]], [CTL]: ['@@append'] },
                    },
                  },
                },
              },
            },
          },
        ],
        // Locked by the root: the system mode does not change; the identifier does.
        [
          OU_WORK,
          {
            bedrock: {
              guardrail_inference: {
                'eu-west-1': {
                  config_1: { identifier: { '@@assign': b }, selective_content_guarding: { system: { '@@assign': 'selective' } } },
                },
              },
            },
          },
        ],
        // @@append is allowed on excluded_models, @@remove is not.
        [
          OU_PROD,
          {
            bedrock: {
              guardrail_inference: {
                'eu-west-1': { config_1: { model_enforcement: { excluded_models: { '@@append': [MODELS[2]], '@@remove': [MODELS[1]] } } } },
              },
            },
          },
        ],
        // Two policies on one account.
        [PILOT, { bedrock: { guardrail_inference: { 'us-east-1': { config_1: { identifier: { '@@assign': ARNS[2] } } } } } }],
        [
          PILOT,
          {
            bedrock: {
              guardrail_inference: { 'us-east-1': { config_1: { model_enforcement: { excluded_models: { '@@append': [MODELS[3]] } } } } },
            },
          },
        ],
      ];
      const policies: OrgSnapshot['policies'] = [];
      for (const [i, [target, doc]] of docs.entries()) {
        const Content = JSON.stringify(doc);
        const id = (await org.send(new CreatePolicyCommand({ Name: `oracle-${i}`, Description: '', Type: 'BEDROCK_POLICY', Content })))
          .Policy!.PolicySummary!.Id!;
        await org.send(new AttachPolicyCommand({ PolicyId: id, TargetId: target }));
        policies.push({ id, content: Content, targets: [target] });
      }
      const env = testEnv();
      const snapshot: OrgSnapshot = {
        root: ROOT,
        ous: env.organization.ous.map((o) => ({ id: o.id, parent: o.parent })),
        accounts: env.organization.accounts.map((x) => ({ id: x.id, parent: x.parent })),
        policies,
      };
      const expected = effectivePolicies(snapshot);
      for (const account of [MGMT, PILOT, PROD, NESTED]) {
        const r = await org.send(new DescribeEffectivePolicyCommand({ PolicyType: 'BEDROCK_POLICY', TargetId: account }));
        expect({ account, effective: JSON.parse(r.EffectivePolicy!.PolicyContent!) }).toEqual({
          account,
          effective: expected.get(account)!.policy,
        });
      }
      // The locks held: NESTED (root → Workloads → Prod → Deep) keeps the root's system mode and
      // excluded model, gets Prod's appended one and Workloads' identifier.
      const nested = JSON.parse(
        (await org.send(new DescribeEffectivePolicyCommand({ PolicyType: 'BEDROCK_POLICY', TargetId: NESTED }))).EffectivePolicy!
          .PolicyContent!,
      );
      expect(nested.bedrock.guardrail_inference['eu-west-1'].config_1).toEqual({
        identifier: b,
        selective_content_guarding: { system: 'comprehensive' },
        model_enforcement: { included_models: ['ALL'], excluded_models: [MODELS[1], MODELS[2]] },
      });
    } finally {
      await sb.close();
    }
  });
});
