import { existsSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { jest } from '@jest/globals';
import { InputError, UsageError, exitCodeOf } from '../../core/errors.js';
import { main, parseAsOf } from '../../stacks/main.js';
import { tmpOut } from '../helpers/stacks.js';

const ROOT = path.resolve(path.dirname(new URL(import.meta.url).pathname), '../..');

describe('synth entry (stacks/main.ts)', () => {
  test('--as-of must be a real YYYY-MM-DD date (exit 2)', async () => {
    const err = await main(['--env', 'whatever', '--as-of', '2026-02-30']).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(InputError);
    expect((err as Error).message).toBe('at --as-of: expected a real date as YYYY-MM-DD, got "2026-02-30"');
    expect(exitCodeOf(err)).toBe(2);
  });

  test('writes the five stacks for an environment, every phase at --release', async () => {
    const out = tmpOut();
    const write = jest.spyOn(process.stdout, 'write').mockImplementation(() => true);
    try {
      const code = await main([
        '--env',
        path.join(ROOT, 'environments/sandbox'),
        '--release',
        'baseline@2026.11.1',
        '--as-of',
        '2026-11-25',
        '--out',
        out,
      ]);
      expect(code).toBe(0);
    } finally {
      write.mockRestore();
    }
    for (const s of ['guardrails', 'pilot', 'model-rules', 'ou', 'enterprise'])
      expect(existsSync(path.join(out, 'stacks', s, 'cdk.tf.json'))).toBe(true);
    const ou = readFileSync(path.join(out, 'stacks', 'ou', 'cdk.tf.json'), 'utf8');
    expect(ou).toContain('outputs.release_baseline_2026_11_1_');
    expect(ou).not.toContain('release_baseline_2026_11_2');
  });

  test('an unknown --release is bad input', async () => {
    const err = await main(['--env', path.join(ROOT, 'environments/sandbox'), '--release', 'nope@1', '--out', tmpOut()]).catch(
      (e: unknown) => e,
    );
    expect(err).toBeInstanceOf(InputError);
    expect((err as Error).message).toMatch(
      /^at --release: expected a release of environment "sandbox" \(.*baseline@2026\.11\.1.*\), got "nope@1"$/,
    );
  });

  test('unknown flags are a usage error (exit 2)', async () => {
    const err = await main(['--bogus']).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(UsageError);
    expect((err as Error).message).toMatch(/Unknown option '--bogus'/);
    expect(exitCodeOf(err)).toBe(2);
  });

  test('the default as-of date is midnight UTC of today, so repeated runs in a day synthesize the same JSON', () => {
    expect(parseAsOf(undefined, new Date('2026-11-20T17:45:12Z')).toISOString()).toBe('2026-11-20T00:00:00.000Z');
    expect(parseAsOf('2026-12-31').toISOString()).toBe('2026-12-31T00:00:00.000Z');
  });
});
