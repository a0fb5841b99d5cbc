/**
 * Issue 10 item 2: the CLI never ends without printing its result or an error. A command whose
 * promise can never settle (the old credential deadlock) used to end with exit 0 and no output;
 * now the event loop emptying while the verb is pending, or an unhandled rejection, prints what
 * was pending and exits 3.
 */
import { spawnSync } from 'node:child_process';
import { EventEmitter } from 'node:events';
import path from 'node:path';
import { guardCompletion, nodeNotice, type GuardedProcess } from '../../../rollout/cli/main.js';

const ROOT = path.resolve(path.dirname(new URL(import.meta.url).pathname), '../../..');

function fakeProcess() {
  const emitter = new EventEmitter();
  const exits: number[] = [];
  const proc = Object.assign(emitter, { exit: (code: number) => void exits.push(code) }) as unknown as GuardedProcess & EventEmitter;
  const out: string[] = [];
  const err: string[] = [];
  return { proc, exits, out, err, io: { out: (t: string) => void out.push(t), err: (t: string) => void err.push(t) } };
}

test('the loop emptying while the verb is pending prints the verb and exits 3; after settle() it is silent', () => {
  const f = fakeProcess();
  const guard = guardCompletion(['node', 'rollout', 'promote', 'pilot', '--env', 'prod'], f.proc, f.io);
  f.proc.emit('beforeExit', 0);
  expect(f.exits).toEqual([3]);
  expect(f.err.join('\n')).toMatch(
    /^rollout promote: internal error: "promote" was still pending .*\(command: rollout promote pilot --env prod\)\. Exit 3\.$/,
  );
  expect(f.out).toEqual([]);

  const g = fakeProcess();
  guardCompletion(['node', 'rollout', 'status'], g.proc, g.io).settle();
  g.proc.emit('beforeExit', 0);
  expect(g.exits).toEqual([]);
  expect(g.err).toEqual([]);
  guard.settle();
});

test('an unhandled rejection exits 3 naming the verb; with --json the error document goes to stdout', () => {
  const f = fakeProcess();
  guardCompletion(['node', 'rollout', '--json', 'verify', 'ou'], f.proc, f.io);
  f.proc.emit('unhandledRejection', new Error('boom'));
  expect(f.exits).toEqual([3]);
  expect(f.err.join('\n')).toContain('rollout verify: internal error: unhandled promise rejection while "verify" was pending: Error: boom');
  expect(JSON.parse(f.out.join(''))).toEqual({
    schemaVersion: 1,
    kind: 'error',
    ok: false,
    exitCode: 3,
    toolVersion: expect.any(String),
    error: { type: 'InternalError', verb: 'verify', message: 'unhandled promise rejection while "verify" was pending: Error: boom' },
  });
});

test('in a real Node process a promise that never settles ends with exit 3 and the message, not exit 0 and silence', () => {
  const script = `
    const { guardCompletion } = await import('./rollout/cli/main.ts');
    guardCompletion(['node', 'rollout', 'promote', 'pilot']);
    await new Promise(() => {}); // waits on nothing: the event loop empties
  `;
  const r = spawnSync(process.execPath, ['--import', 'tsx', '--input-type=module', '-e', script], {
    cwd: ROOT,
    encoding: 'utf8',
    timeout: 60_000,
    env: { ...process.env, NODE_OPTIONS: '' },
  });
  expect(r.stderr).toContain('rollout promote: internal error: "promote" was still pending');
  expect(r.status).toBe(3);
}, 90_000);

describe('the Node version notice', () => {
  const capture = () => {
    let text = '';
    const write = (t: string) => {
      text += t;
      return true;
    };
    return { stream: { write }, text: () => text };
  };
  test('on Node 20: one line, once, and the SDK’s own notice is switched off', () => {
    const env: NodeJS.ProcessEnv = {};
    const out = capture();
    nodeNotice('20.20.2', env, out.stream);
    nodeNotice('20.20.2', env, out.stream);
    expect(out.text().trim().split('\n')).toEqual([
      'note: Node.js 20.20.2 is past end of life; AWS SDK releases after the first week of January 2027 need Node.js 22 or later.',
    ]);
    expect(env.AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED).toBe('true');
  });
  test('on Node 22 and 24: nothing, and the SDK is left alone', () => {
    for (const v of ['22.23.3', '24.1.0']) {
      const env: NodeJS.ProcessEnv = {};
      const out = capture();
      nodeNotice(v, env, out.stream);
      expect(out.text()).toBe('');
      expect(env.AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED).toBeUndefined();
    }
  });
});
