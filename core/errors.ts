/**
 * Error classes and the exit codes they map to (documented in the README):
 *   0 success · 1 gate failure / halted · 2 bad input · 3 environment or tooling failure.
 */
export const EXIT = { ok: 0, gateFailed: 1, badInput: 2, tooling: 3 } as const;

/** Bad input from a person: a file, a flag, an environment entry. Exit 2, nothing changed. */
export class InputError extends Error {
  readonly exitCode = EXIT.badInput;
  constructor(
    readonly file: string | undefined,
    readonly path: string | undefined,
    readonly expected: string,
  ) {
    super([file, path ? `at ${path}` : undefined].filter(Boolean).join(' ') + (file || path ? ': ' : '') + expected);
    this.name = 'InputError';
  }
}

/** A rule of the rollout refused the request (e.g. phase order, lock held). Exit 2. */
export class UsageError extends Error {
  readonly exitCode = EXIT.badInput;
  constructor(message: string) {
    super(message);
    this.name = 'UsageError';
  }
}

/** A gate failed or the rollout halted. Exit 1. */
export class GateFailure extends Error {
  readonly exitCode = EXIT.gateFailed;
  constructor(
    message: string,
    readonly report?: unknown,
  ) {
    super(message);
    this.name = 'GateFailure';
  }
}

/** The environment or tooling failed (AWS unreachable, terraform crashed, sandbox down). Exit 3. */
export class ToolingError extends Error {
  readonly exitCode = EXIT.tooling;
  constructor(
    message: string,
    override readonly cause?: unknown,
  ) {
    super(message);
    this.name = 'ToolingError';
  }
}

export function exitCodeOf(err: unknown): number {
  if (err && typeof err === 'object' && 'exitCode' in err && typeof (err as { exitCode: unknown }).exitCode === 'number') {
    return (err as { exitCode: number }).exitCode;
  }
  return EXIT.tooling;
}
