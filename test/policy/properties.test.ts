/** Invariants of the inheritance engine, checked on random organizations and policies (fast-check). */
import fc from 'fast-check';
import { effectivePolicies, effectivePolicyFor, pathTo, type OrgSnapshot } from '../../policy/index.js';
import { seededRandom } from '../helpers/random.js';

const CTL = '@@operators_allowed_for_child_policies';

/** A random tree: each OU's parent is the root or an earlier OU; accounts hang anywhere. */
const orgShape = fc
  .record({
    ouParents: fc.array(fc.nat(), { maxLength: 6 }),
    accountParents: fc.array(fc.nat(), { minLength: 1, maxLength: 8 }),
  })
  .map(({ ouParents, accountParents }) => {
    const ous = ouParents.map((p, i) => ({ id: `ou-${i}`, parent: p % (i + 1) === 0 ? 'r-1' : `ou-${(p % (i + 1)) - 1}` }));
    const nodes = ['r-1', ...ous.map((o) => o.id)];
    const accounts = accountParents.map((p, i) => ({ id: String(100000000000 + i), parent: nodes[p % nodes.length] }));
    return { root: 'r-1', ous, accounts };
  });

const ctlList = fc.constantFrom(
  ['@@all'],
  ['@@none'],
  ['@@assign'],
  ['@@append'],
  ['@@remove'],
  ['@@assign', '@@append'],
  ['@@append', '@@remove'],
);
const items = fc.subarray(['m1', 'm2', 'm3', 'm4'], { minLength: 1 });
const withCtl = <T extends object>(arb: fc.Arbitrary<T>) =>
  fc.tuple(arb, fc.option(ctlList, { nil: undefined })).map(([v, c]) => (c ? { ...v, [CTL]: c } : v));
const scalar = withCtl(fc.constantFrom('a', 'b', 'c').map((v) => ({ '@@assign': v })));
const list = withCtl(
  fc.oneof(
    items.map((v) => ({ '@@assign': v })),
    items.map((v) => ({ '@@append': v })),
    items.map((v) => ({ '@@remove': v })),
  ),
);
const content = fc.record(
  {
    top: withCtl(
      fc.record(
        {
          c1: withCtl(fc.record({ s1: scalar, s2: scalar }, { requiredKeys: [] })),
          c2: withCtl(fc.record({ l1: list }, { requiredKeys: [] })),
        },
        { requiredKeys: [] },
      ),
    ),
  },
  { requiredKeys: [] },
);

const orgWithPolicies: fc.Arbitrary<OrgSnapshot> = orgShape.chain((o) => {
  const nodes = ['r-1', ...o.ous.map((x) => x.id), ...o.accounts.map((a) => a.id)];
  return fc
    .array(fc.record({ content, targets: fc.subarray(nodes) }), { maxLength: 6 })
    .map((ps) => ({ ...o, policies: ps.map((p, i) => ({ id: `p-${i}`, content: p.content, targets: p.targets })) }));
});

const asObject = (m: Map<string, unknown>) => Object.fromEntries([...m].sort(([a], [b]) => (a < b ? -1 : 1)));

describe('inheritance properties', () => {
  test('an account with no policy on its path has no effective policy; one with a policy has one', () => {
    fc.assert(
      fc.property(orgWithPolicies, (org) => {
        const out = effectivePolicies(org);
        for (const a of org.accounts) {
          const onPath = new Set(pathTo(org, a.id).map((n) => n.node));
          const reached = org.policies.some((p) => p.targets.some((t) => onPath.has(t)));
          expect(out.get(a.id)!.policy === null).toBe(!reached);
        }
      }),
    );
  });

  test('a child @@assign wins where the parent allows it and is ignored where child-control forbids it', () => {
    fc.assert(
      fc.property(
        ctlList,
        fc.constantFrom('leaf', 'container'),
        fc.nat({ max: 3 }),
        fc.constantFrom('x', 'y'),
        (ctl, where, depth, parentValue) => {
          // root → ou-0 → … → ou-depth → account; the root sets s1, the deepest OU assigns "z".
          const ous = Array.from({ length: depth + 1 }, (_, i) => ({ id: `ou-${i}`, parent: i === 0 ? 'r-1' : `ou-${i - 1}` }));
          const rootDoc =
            where === 'leaf'
              ? { top: { c1: { s1: { '@@assign': parentValue, [CTL]: ctl } } } }
              : { top: { [CTL]: ctl, c1: { s1: { '@@assign': parentValue } } } };
          const org: OrgSnapshot = {
            root: 'r-1',
            ous,
            accounts: [{ id: '100000000000', parent: `ou-${depth}` }],
            policies: [
              { id: 'p-root', content: rootDoc, targets: ['r-1'] },
              { id: 'p-child', content: { top: { c1: { s1: { '@@assign': 'z' } } } }, targets: [`ou-${depth}`] },
            ],
          };
          const allowsAssign = (ctl as readonly string[]).includes('@@all') || (ctl as readonly string[]).includes('@@assign');
          const r = effectivePolicyFor(org, '100000000000');
          expect((r.policy as any).top.c1.s1).toBe(allowsAssign ? 'z' : parentValue);
          expect(r.ignored.length).toBe(allowsAssign ? 0 : 1);
        },
      ),
    );
  });

  test('the result does not depend on the order policies, targets, OUs or accounts are listed', () => {
    fc.assert(
      fc.property(orgWithPolicies, fc.integer(), (org, seed) => {
        const rnd = seededRandom(seed);
        const shuffle = <T>(xs: T[]) =>
          xs
            .map((x) => [rnd(), x] as const)
            .sort((a, b) => a[0] - b[0])
            .map(([, x]) => x);
        const shuffled: OrgSnapshot = {
          root: org.root,
          ous: shuffle(org.ous),
          accounts: shuffle(org.accounts),
          policies: shuffle(org.policies.map((p) => ({ ...p, targets: shuffle(p.targets) }))),
        };
        expect(asObject(effectivePolicies(shuffled))).toEqual(asObject(effectivePolicies(org)));
      }),
    );
  });

  test('effectivePolicies (top-down, shared) equals effectivePolicyFor each account (own chain)', () => {
    fc.assert(
      fc.property(orgWithPolicies, (org) => {
        const all = effectivePolicies(org);
        for (const a of org.accounts) expect(all.get(a.id)).toEqual(effectivePolicyFor(org, a.id));
      }),
    );
  });

  test('restrictions only narrow: a descendant cannot re-open what an ancestor locked', () => {
    fc.assert(
      fc.property(ctlList, (reopen) => {
        const org: OrgSnapshot = {
          root: 'r-1',
          ous: [
            { id: 'ou-0', parent: 'r-1' },
            { id: 'ou-1', parent: 'ou-0' },
          ],
          accounts: [{ id: '100000000000', parent: 'ou-1' }],
          policies: [
            { id: 'p-root', content: { top: { c2: { l1: { '@@assign': ['m1'], [CTL]: ['@@none'] } } } }, targets: ['r-1'] },
            { id: 'p-mid', content: { top: { c2: { l1: { [CTL]: reopen } } } }, targets: ['ou-0'] },
            { id: 'p-low', content: { top: { c2: { l1: { '@@append': ['m2'] } } } }, targets: ['ou-1'] },
          ],
        };
        expect((effectivePolicyFor(org, '100000000000').policy as any).top.c2.l1).toEqual(['m1']);
      }),
    );
  });
});
