/**
 * Construction-time validation of construct props. Errors name the construct, its path in
 * the tree and the prop, and carry exit code 2 (bad input) for the CLI.
 */
import { Token } from 'cdktf';
import type { Construct } from 'constructs';
import { EXIT } from '../core/errors.js';
import { ACCOUNT_ID, GUARDRAIL_ARN_PATTERN, GUARDRAIL_VERSION_PATTERN, MODEL_ID_PATTERN, ORG_ID, REGION_CODE } from '../core/patterns.js';

export class PropsError extends Error {
  readonly exitCode = EXIT.badInput;
  constructor(
    readonly construct: string,
    readonly prop: string,
    readonly expected: string,
  ) {
    super(`${construct}: props.${prop} ${expected}`);
    this.name = 'PropsError';
  }
}

/** An unresolved cdktf token or a literal Terraform interpolation: checked by Terraform, not here. */
export function isDeferred(value: unknown): boolean {
  return typeof value === 'string' && (Token.isUnresolved(value) || value.includes('${'));
}

export class PropChecker {
  private readonly label: string;
  constructor(kind: string, scope: Construct, id: string) {
    const parent = scope.node.path;
    this.label = `${kind} "${parent ? `${parent}/${id}` : id}"`;
  }

  fail(prop: string, expected: string): never {
    throw new PropsError(this.label, prop, expected);
  }

  string(prop: string, value: unknown, opts: { min?: number; max?: number; pattern?: RegExp; patternText?: string } = {}): void {
    if (typeof value !== 'string') this.fail(prop, `must be a string (got ${describe(value)})`);
    if (isDeferred(value)) return;
    const min = opts.min ?? 1;
    if (value.length < min) this.fail(prop, min === 1 ? 'must not be empty' : `must have at least ${min} characters`);
    if (opts.max !== undefined && value.length > opts.max)
      this.fail(prop, `must have at most ${opts.max} characters (got ${value.length})`);
    if (opts.pattern && !opts.pattern.test(value))
      this.fail(prop, `must be ${opts.patternText ?? `a string matching ${opts.pattern}`} (got ${JSON.stringify(value)})`);
  }

  oneOf<T extends string>(prop: string, value: unknown, allowed: readonly T[]): asserts value is T {
    if (typeof value !== 'string' || !(allowed as readonly string[]).includes(value)) {
      this.fail(prop, `must be one of ${allowed.join(', ')} (got ${describe(value)})`);
    }
  }

  array(prop: string, value: unknown, opts: { min?: number; max?: number } = {}): asserts value is unknown[] {
    if (!Array.isArray(value)) this.fail(prop, `must be a list (got ${describe(value)})`);
    if (opts.min !== undefined && value.length < opts.min)
      this.fail(prop, `must have at least ${opts.min} item${opts.min === 1 ? '' : 's'}`);
    if (opts.max !== undefined && value.length > opts.max) this.fail(prop, `must have at most ${opts.max} items (got ${value.length})`);
  }

  defined(prop: string, value: unknown): void {
    if (value === undefined || value === null) this.fail(prop, 'is required');
  }
}

function describe(v: unknown): string {
  if (v === undefined) return 'undefined';
  if (typeof v === 'string') return JSON.stringify(v.length > 60 ? `${v.slice(0, 57)}...` : v);
  if (Array.isArray(v)) return 'a list';
  return typeof v;
}

export const PATTERNS = {
  accountId: ACCOUNT_ID,
  organizationId: ORG_ID,
  region: REGION_CODE,
  guardrailArn: GUARDRAIL_ARN_PATTERN,
  guardrailId: /^[a-z0-9]+$/,
  guardrailVersion: GUARDRAIL_VERSION_PATTERN,
  modelId: MODEL_ID_PATTERN,
} as const;
