import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { buildProgram } from '../../rollout/cli/main.js';

/** Runs the real CLI program in-process with captured output; returns stdout, stderr and exit code. */
export async function runCli(args: string[]): Promise<{ out: string; err: string; code: number }> {
  let out = '';
  let err = '';
  const program = await buildProgram({
    out: (t) => {
      out += `${t}\n`;
    },
    err: (t) => {
      err += `${t}\n`;
    },
  });
  const before = process.exitCode;
  process.exitCode = undefined;
  try {
    await program.parseAsync(['node', 'rollout', ...args]);
    return { out, err, code: Number(process.exitCode ?? 0) };
  } finally {
    process.exitCode = before;
  }
}

export function writeTemp(name: string, content: unknown): string {
  const dir = mkdtempSync(join(tmpdir(), 'policy-test-'));
  const file = join(dir, name);
  writeFileSync(file, typeof content === 'string' ? content : JSON.stringify(content));
  return file;
}

/** `rollout effective --org <snapshot> --json`, parsed. */
export async function effectiveViaCli(snapshot: unknown): Promise<Record<string, unknown>> {
  const r = await runCli(['effective', '--org', writeTemp('org.json', snapshot), '--json']);
  if (r.code !== 0) throw new Error(`exit ${r.code}: ${r.err}`);
  return JSON.parse(r.out);
}
