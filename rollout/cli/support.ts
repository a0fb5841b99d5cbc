/**
 * Shared plumbing for CLI verbs: output in text or JSON, errors → exit codes.
 * Every verb's action is wrapped by `action()`, so a thrown InputError/UsageError exits 2,
 * GateFailure 1, anything else 3, and `--json` callers always get one JSON document on stdout.
 */
import { AsyncLocalStorage } from 'node:async_hooks';
import { relative } from 'node:path';
import type { Command, CommanderError } from 'commander';
import { EXIT, type InputError, exitCodeOf } from '../../core/errors.js';
import { toolVersion } from '../state/tool-version.js';
import { processIo, type Io } from '../ui/io.js';

/** Version of the fields every JSON document starts with (envelope()); a document's own schemaVersion wins. */
export const ENVELOPE_SCHEMA_VERSION = 1;

/**
 * The fields every `--json` document carries, errors included, so a pipeline can check any of
 * them the same way: which document (kind), whether it succeeded (ok, exitCode) and which
 * rollout wrote it (toolVersion).
 */
export function envelope(kind: string, exitCode: number) {
  return { schemaVersion: ENVELOPE_SCHEMA_VERSION, kind, ok: exitCode === EXIT.ok, exitCode, toolVersion: toolVersion() };
}

/** The running verb's document kind (`ledger verify` → ledger-verify), set by action() for emit(). */
const running = new AsyncLocalStorage<{ kind: string }>();

function commandPath(cmd: Command | undefined): string {
  const names: string[] = [];
  for (let c = cmd; c?.parent; c = c.parent) names.unshift(c.name());
  return names.join('-') || 'rollout';
}

/**
 * A verb's document with the envelope fields it lacks: the exit code is the document's own, else
 * 1 when it says ok: false, else 0 (a verb emits its document as its last step).
 */
export function withEnvelope(json: unknown, kind = running.getStore()?.kind ?? 'rollout'): unknown {
  if (!json || typeof json !== 'object' || Array.isArray(json)) return json;
  const doc = json as Record<string, unknown>;
  const exitCode = typeof doc.exitCode === 'number' ? doc.exitCode : doc.ok === false ? EXIT.gateFailed : EXIT.ok;
  return { ...envelope(kind, exitCode), ...doc, toolVersion: toolVersion() };
}

export interface GlobalOptions {
  json?: boolean;
  env?: string;
}

/** Prints a result: `json` verbatim as JSON when --json, else the text rendering. */
export function emit(io: Io, opts: { json?: boolean }, json: unknown, text: () => string): void {
  if (opts.json) io.out(JSON.stringify(withEnvelope(json), null, 2));
  else io.out(text());
}

export function errorJson(err: unknown): Record<string, unknown> {
  const e = err as Error & Partial<InputError>;
  return {
    ...envelope('error', exitCodeOf(err)),
    error: { type: e?.name ?? 'Error', message: e?.message ?? String(err), file: e?.file, path: e?.path },
  };
}

/**
 * Wraps a verb's implementation. The implementation returns its exit code (0 or 1); errors
 * are mapped to codes here. `process.exitCode` is set rather than calling exit(), so pending
 * output is flushed and servers/clients can close cleanly.
 */
export function action<A extends unknown[]>(io: Io, fn: (...args: A) => Promise<number | void>) {
  return async (...args: A): Promise<void> => {
    const cmd = args[args.length - 1] as Command;
    const json = Boolean(cmd?.optsWithGlobals?.().json);
    try {
      const code = await running.run({ kind: commandPath(cmd) }, () => fn(...args));
      process.exitCode = code ?? EXIT.ok;
    } catch (err) {
      const code = exitCodeOf(err);
      if (json) io.out(JSON.stringify(errorJson(err), null, 2));
      io.err(`error: ${(err as Error)?.message ?? String(err)}`);
      if (code === EXIT.tooling && process.env.ROLLOUT_DEBUG) io.err(String((err as Error)?.stack));
      process.exitCode = code;
    }
  };
}

/**
 * Commander usage errors (unknown flag, missing argument) exit 2, like any bad input. With
 * --json anywhere on the command line, stdout still gets the one error document a pipeline parses.
 */
export function configureExit(program: Command, io: Io = processIo): void {
  program.exitOverride((err: CommanderError) => {
    // `--help` / `help <verb>` exit 0; help shown because the verb is missing (`rollout`,
    // `rollout exceptions`) is a usage error: a CI step must not pass without doing anything.
    if (
      err.code === 'commander.helpDisplayed' ||
      err.code === 'commander.version' ||
      (err.code === 'commander.help' && err.exitCode === 0)
    ) {
      process.exit(EXIT.ok);
    }
    if (rawArgsOf(program).includes('--json')) {
      const message =
        err.code === 'commander.help'
          ? `missing command: ${program.commands
              .map((c) => c.name())
              .filter((n) => n !== 'help')
              .join(' | ')}`
          : err.message.replace(/^error: /, '');
      io.out(JSON.stringify({ ...envelope('error', EXIT.badInput), error: { type: 'UsageError', message } }, null, 2));
    }
    process.exit(EXIT.badInput);
  });
}

/** The arguments the root command was parsed with (commander keeps them on the root only), up to `--`. */
function rawArgsOf(cmd: Command): string[] {
  let root = cmd;
  while (root.parent) root = root.parent;
  const raw = (root as unknown as { rawArgs?: string[] }).rawArgs ?? [];
  const end = raw.indexOf('--');
  return end === -1 ? raw : raw.slice(0, end);
}

const warned = new WeakSet<object>();

/**
 * Prints an environment's load warnings (legacy `inputTags` mapped to GA guarding modes,
 * Automated Reasoning in a release, …) to stderr, once per loaded environment, so they reach a
 * person without touching the one JSON document on stdout.
 */
export function warnEnvironment(io: Io, env: { warnings?: string[]; sourceFile?: string }): void {
  if (warned.has(env) || !env.warnings?.length) return;
  warned.add(env);
  const rel = env.sourceFile ? relative(process.cwd(), env.sourceFile) : '';
  const file = rel && !rel.startsWith('..') ? rel : env.sourceFile;
  for (const w of env.warnings) io.err(`warning: ${file && !w.includes(file) ? `${file}: ` : ''}${w}`);
}
