/**
 * SynthInput.target: 'sandbox' gives every aws provider block the emulator settings (endpoint
 * variable, no AWS-side checks) and declares the variable; 'aws' (the default) has none of it.
 */
import { jest } from '@jest/globals';
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { InputError, exitCodeOf } from '../../core/errors.js';
import { main, parseTarget } from '../../stacks/main.js';
import { synthStacks, type SynthTarget } from '../../stacks/synth.js';
import { defaultTarget } from '../../stacks/target.js';
import { MGMT, PILOT, testEnv, tf, tmpOut } from '../helpers/stacks.js';

const V = 'baseline@2026.11.2';
const ROOT = path.resolve(path.dirname(new URL(import.meta.url).pathname), '../..');

function synthFor(target?: SynthTarget) {
  const arts = synthStacks({
    env: testEnv(),
    releases: { pilot: V, 'model-rules': V, ou: V, enterprise: V },
    asOf: new Date('2026-11-20'),
    outdir: tmpOut(),
    ...(target ? { target } : {}),
  });
  return Object.fromEntries(arts.map((a) => [a.name, tf(a.json)]));
}

const VARIABLE = {
  sandbox_endpoint: {
    description: 'Base URL of the sandbox emulator (STS, Organizations, Bedrock); the engine sets TF_VAR_sandbox_endpoint',
    type: 'string',
  },
};
const EMULATOR = {
  endpoints: [{ bedrock: '${var.sandbox_endpoint}', organizations: '${var.sandbox_endpoint}', sts: '${var.sandbox_endpoint}' }],
  skip_credentials_validation: true,
  skip_metadata_api_check: 'true',
  skip_region_validation: true,
  skip_requesting_account_id: true,
};

describe('synth target', () => {
  const sandbox = synthFor('sandbox');

  test('sandbox: a regional provider block of the pilot stack, literally', () => {
    expect(JSON.parse(JSON.stringify(sandbox.pilot!.provider!.aws[0]))).toEqual({
      alias: 'us_east_1',
      assume_role: [
        { role_arn: `arn:aws:iam::${MGMT}:role/GuardrailRolloutAdmin`, session_name: 'guardrail-rollout-pilot' },
        { role_arn: `arn:aws:iam::${PILOT}:role/GuardrailRolloutRole`, session_name: 'guardrail-rollout-pilot' },
      ],
      endpoints: [{ bedrock: '${var.sandbox_endpoint}', organizations: '${var.sandbox_endpoint}', sts: '${var.sandbox_endpoint}' }],
      region: 'us-east-1',
      skip_credentials_validation: true,
      skip_metadata_api_check: 'true',
      skip_region_validation: true,
      skip_requesting_account_id: true,
    });
  });

  test('sandbox: every provider block of every stack has the emulator settings, and each stack declares the variable once', () => {
    for (const s of Object.values(sandbox)) {
      expect(s.provider!.aws.length).toBeGreaterThan(0);
      for (const p of s.provider!.aws) expect(p).toMatchObject(EMULATOR);
      expect((s as { variable?: unknown }).variable).toEqual(VARIABLE);
    }
    expect(sandbox.enterprise!.provider!.aws).toEqual([
      {
        assume_role: [{ role_arn: `arn:aws:iam::${MGMT}:role/GuardrailRolloutAdmin`, session_name: 'guardrail-rollout-enterprise' }],
        region: 'us-east-1',
        ...EMULATOR,
      },
    ]);
  });

  test('aws (the default): no endpoints, no skip settings, no variable', () => {
    for (const by of [synthFor(), synthFor('aws')]) {
      for (const s of Object.values(by)) {
        const text = JSON.stringify(s);
        expect(text).not.toContain('sandbox_endpoint');
        expect(text).not.toContain('skip_credentials_validation');
        expect(s).not.toHaveProperty('variable');
        for (const p of s.provider!.aws)
          expect(Object.keys(p).sort()).toEqual(p.alias ? ['alias', 'assume_role', 'region'] : ['assume_role', 'region']);
      }
    }
  });

  test('an unknown target is bad input', () => {
    const err = (() => {
      try {
        synthStacks({ env: testEnv(), releases: {}, asOf: new Date('2026-11-20'), outdir: tmpOut(), target: 'local' as SynthTarget });
      } catch (e) {
        return e;
      }
    })();
    expect(err).toBeInstanceOf(InputError);
    expect((err as Error).message).toBe('at target: expected "aws" or "sandbox", got "local"');
  });

  test('the default target: sandbox for the sandbox environment (by name or sandbox settings), aws otherwise', () => {
    expect(defaultTarget(testEnv())).toBe('aws');
    expect(defaultTarget(testEnv({ name: 'sandbox' }))).toBe('sandbox');
    expect(defaultTarget(testEnv({ sandbox: { policyTypeEnabled: true } }))).toBe('sandbox');
  });

  test('--target flag: sandbox|aws, anything else exits 2; absent ⇒ the environment decides', async () => {
    expect(parseTarget(undefined)).toBeUndefined();
    expect(parseTarget('aws')).toBe('aws');
    const err = (() => {
      try {
        parseTarget('emulator');
      } catch (e) {
        return e;
      }
    })();
    expect((err as Error).message).toBe('at --target: expected aws or sandbox, got "emulator"');
    expect(exitCodeOf(err)).toBe(2);

    const write = jest.spyOn(process.stdout, 'write').mockImplementation(() => true);
    const outs = { byEnv: tmpOut(), aws: tmpOut() };
    try {
      await main(['--env', path.join(ROOT, 'environments/sandbox'), '--as-of', '2026-11-25', '--out', outs.byEnv]);
      await main(['--env', path.join(ROOT, 'environments/sandbox'), '--as-of', '2026-11-25', '--target', 'aws', '--out', outs.aws]);
    } finally {
      write.mockRestore();
    }
    const pilot = (dir: string) => readFileSync(path.join(dir, 'stacks', 'pilot', 'cdk.tf.json'), 'utf8');
    expect(pilot(outs.byEnv)).toContain('"sts": "${var.sandbox_endpoint}"');
    expect(pilot(outs.aws)).not.toContain('sandbox_endpoint');
  });
});
