/**
 * The layer order of docs/architecture.md, enforced: every relative import goes down the order
 * (or stays in its own layer), the emulator imports only core, cdktf stays in modules/ and stacks/.
 */
import { readdirSync, readFileSync } from 'node:fs';
import { join, normalize, dirname } from 'node:path';

/** Lowest first. Inside rollout/, folders of the same rank may not import each other. */
const ORDER: [layer: string, rank: number][] = [
  ['core', 0],
  ['guardrail', 1],
  ['model', 2],
  ['policy', 3],
  ['modules', 4],
  ['stacks', 5],
  ['rollout/state', 6],
  ['rollout/aws', 7],
  ['rollout/engines', 8],
  ['rollout/gates', 8],
  ['rollout/report', 9],
  ['rollout/notify', 10],
  ['rollout/ui', 11],
  ['rollout/flows', 12],
  ['rollout/cli', 13],
];
/** Beside the order: what else each may import. */
const SIDE: Record<string, { mayImport: string[]; lazily?: string[] }> = {
  sandbox: { mayImport: ['core'] },
  'provider-double': { mayImport: ['core'] },
  environments: { mayImport: ['core', 'guardrail'] },
};
const LAZY_SANDBOX = ['rollout/flows', 'rollout/cli']; // load the emulator and the provider double with import() only
const LAZY_ONLY = ['sandbox', 'provider-double'];
const CDKTF_HOMES = ['modules', 'stacks'];

interface Import {
  from: string;
  to: string;
  dynamic: boolean;
  pkg?: string;
}

function layerOf(file: string): string | undefined {
  const hit = [...ORDER.map(([l]) => l), ...Object.keys(SIDE)].filter((l) => file === l || file.startsWith(`${l}/`));
  return hit.sort((a, b) => b.length - a.length)[0];
}
const rank = (l: string) => ORDER.find(([x]) => x === l)?.[1];

function violations(imports: Import[]): string[] {
  const out: string[] = [];
  for (const i of imports) {
    const from = layerOf(i.from);
    if (!from) continue; // tests, bench, scripts, bin: may import anything
    if (i.pkg) {
      if (/^(cdktf|@cdktf\/|constructs$)/.test(i.pkg) && !CDKTF_HOMES.includes(from))
        out.push(`${i.from}: imports ${i.pkg} outside ${CDKTF_HOMES.join('/')}`);
      if (i.pkg === '@cdktf/provider-aws') out.push(`${i.from}: imports the provider package root (use its submodules)`);
      continue;
    }
    const to = layerOf(i.to);
    if (!to || to === from) continue;
    if (LAZY_ONLY.includes(to) && LAZY_SANDBOX.includes(from) && i.dynamic) continue;
    const side = SIDE[from];
    const ok = side ? side.mayImport.includes(to) : rank(to) !== undefined && rank(to)! < rank(from)!;
    if (!ok) out.push(`${i.from}: imports ${i.to} (${from} may not import ${to})`);
  }
  return out;
}

const ROOT = join(dirname(new URL(import.meta.url).pathname), '../..');
const SPEC = /(?:(?:import|export)\s[^'"]*?from\s*|import\s*\(\s*)(['"])([^'"]+)\1/g;

function sourceImports(): Import[] {
  const out: Import[] = [];
  const walk = (dir: string): void => {
    for (const e of readdirSync(join(ROOT, dir), { withFileTypes: true })) {
      const rel = `${dir}/${e.name}`;
      if (e.isDirectory()) walk(rel);
      else if (rel.endsWith('.ts')) {
        const text = readFileSync(join(ROOT, rel), 'utf8');
        for (const m of text.matchAll(SPEC)) {
          const spec = m[2];
          const dynamic = m[0].startsWith('import') && m[0].includes('(');
          if (spec.startsWith('.')) out.push({ from: rel, to: normalize(join(dirname(rel), spec)), dynamic });
          else if (!spec.startsWith('node:')) out.push({ from: rel, to: spec, dynamic, pkg: spec });
        }
      }
    }
  };
  for (const [l] of ORDER) if (!l.includes('/')) walk(l);
  walk('rollout'); // only its subfolders are layers; files directly in rollout/ are refused below
  walk('sandbox');
  walk('provider-double');
  walk('environments');
  return out.filter((i, n, all) => all.findIndex((j) => j.from === i.from && j.to === i.to && j.dynamic === i.dynamic) === n);
}

describe('layers (docs/architecture.md)', () => {
  const imports = sourceImports();

  test('every import goes down the layer order; the emulator imports only core', () => {
    expect(violations(imports)).toEqual([]);
  });

  test('every file of rollout/ is inside one of its layer folders', () => {
    const loose = [...new Set(imports.map((i) => i.from))].filter((f) => f.startsWith('rollout/') && !layerOf(f)?.startsWith('rollout/'));
    expect(loose).toEqual([]);
  });

  test('an upward import, a lateral one inside rollout, a cdktf import outside its homes and a static emulator import are each caught', () => {
    expect(
      violations([
        { from: 'core/errors.ts', to: 'rollout/cli/main.ts', dynamic: false },
        { from: 'rollout/gates/preflight.ts', to: 'rollout/engines/sandbox/resources.ts', dynamic: false },
        { from: 'policy/builder.ts', to: 'cdktf', dynamic: false, pkg: 'cdktf' },
        { from: 'rollout/flows/target.ts', to: 'sandbox/index.ts', dynamic: false },
        { from: 'sandbox/seed.ts', to: 'model/types.ts', dynamic: false },
        { from: 'provider-double/server.ts', to: 'sandbox/index.ts', dynamic: false },
        { from: 'rollout/engines/terraform/engine.ts', to: 'provider-double/install.ts', dynamic: true },
      ]),
    ).toHaveLength(7);
    expect(
      violations([
        { from: 'rollout/flows/target.ts', to: 'sandbox/index.ts', dynamic: true },
        { from: 'rollout/flows/target.ts', to: 'provider-double/install.ts', dynamic: true },
        { from: 'policy/builder.ts', to: 'model/types.ts', dynamic: false },
        { from: 'sandbox/state.ts', to: 'core/patterns.ts', dynamic: false },
      ]),
    ).toEqual([]);
  });

  test('docs/architecture.md lists the layers in this order', () => {
    const doc = readFileSync(join(ROOT, 'docs/architecture.md'), 'utf8');
    const positions = ORDER.map(([l]) => doc.indexOf(`\n| \`${l}/\``));
    expect(positions.every((p) => p >= 0)).toBe(true);
    expect([...positions].sort((a, b) => a - b)).toEqual(positions);
  });
});
