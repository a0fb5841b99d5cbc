/**
 * Every argument the project's stacks synthesize for the hashicorp/aws provider and its resources
 * is declared by the provider double (a TEST DOUBLE of hashicorp/aws for the emulator, never used
 * against AWS), with the nesting Terraform expects (blocks as arrays, LIST≤1 blocks with one
 * element): an undeclared argument would fail `terraform validate` with "Unsupported argument".
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from '@jest/globals';
import { awsProvider } from '../../provider-double/provider.js';
import { bedrockGuardrail } from '../../provider-double/resources/index.js';
import type { BlockSchema } from '../../provider-double/types.js';
import { synthStacks } from '../../stacks/synth.js';
import { FIXTURE_AS_OF, R1, R2, sandboxEnvironment } from '../helpers/sandbox-fixture.js';
import { createVia, startDouble } from './resources-fixture.js';

const META = new Set(['provider', 'depends_on', 'lifecycle', 'count', 'for_each', '//']);

/** Paths of `value`'s keys that `schema` does not declare (or declares with another shape). */
function undeclared(schema: BlockSchema, value: Record<string, unknown>, at: string, out: string[]): string[] {
  for (const [k, v] of Object.entries(value)) {
    if (META.has(k)) continue;
    const nested = schema.blocks?.[k];
    if (schema.attributes[k]) continue;
    if (!nested) out.push(`${at}.${k}`);
    else if (nested.nesting === 'single') undeclared(nested.block, v as Record<string, unknown>, `${at}.${k}`, out);
    else if (!Array.isArray(v)) out.push(`${at}.${k} (expected a list of blocks)`);
    else {
      if (nested.maxItems !== undefined && v.length > nested.maxItems) out.push(`${at}.${k} (more than ${nested.maxItems} blocks)`);
      for (const [i, e] of v.entries()) undeclared(nested.block, e as Record<string, unknown>, `${at}.${k}[${i}]`, out);
    }
  }
  return out;
}

describe('the synthesized stacks against the double', () => {
  const dir = mkdtempSync(join(tmpdir(), 'double-synth-'));
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  it('use only declared provider and resource arguments', async () => {
    const env = await sandboxEnvironment();
    const stacks = synthStacks({
      env,
      releases: { pilot: R2, 'model-rules': R2, ou: R2, enterprise: R1 },
      asOf: FIXTURE_AS_OF,
      outdir: dir,
    } as Parameters<typeof synthStacks>[0]);
    const types = new Map(awsProvider.resources.map((r) => [r.name, r]));
    const problems: string[] = [];
    const seen = new Set<string>();
    for (const s of stacks) {
      const json = s.json as {
        provider?: { aws?: Record<string, unknown>[] };
        resource?: Record<string, Record<string, Record<string, unknown>>>;
      };
      for (const [i, p] of (json.provider?.aws ?? []).entries()) {
        const { alias: _alias, ...args } = p;
        undeclared(awsProvider.schema, args, `${s.name}: provider.aws[${i}]`, problems);
      }
      for (const [type, byName] of Object.entries(json.resource ?? {})) {
        const rt = types.get(type);
        if (!rt) {
          if (type.startsWith('aws_')) problems.push(`${s.name}: ${type} is not served`);
          continue;
        }
        seen.add(type);
        for (const [name, r] of Object.entries(byName)) undeclared(rt.schema, r, `${s.name}: ${type}.${name}`, problems);
      }
    }
    expect(problems).toEqual([]);
    expect([...seen].sort()).toEqual([...types.keys()].sort());
  });

  it('creates the guardrails stack guardrail as synthesized, and reads it back unchanged', async () => {
    const env = await sandboxEnvironment();
    const [stack] = synthStacks(
      { env, releases: { pilot: R2 }, asOf: FIXTURE_AS_OF, outdir: join(dir, 'g') } as Parameters<typeof synthStacks>[0],
      ['guardrails'],
    );
    const guardrails = (stack!.json as { resource: Record<string, Record<string, Record<string, unknown>>> }).resource
      .aws_bedrock_guardrail!;
    const fx = await startDouble();
    try {
      const ctx = await fx.configure();
      const [, first] = Object.entries(guardrails).find(([, g]) => g.provider === 'aws.us_east_1')!;
      const { provider: _p, ...args } = first;
      const created = await createVia(bedrockGuardrail, ctx, args);
      expect(created.name).toBe(args.name);
      expect(await bedrockGuardrail.read(ctx, created)).toEqual(created);
    } finally {
      await fx.close();
    }
  });
});
