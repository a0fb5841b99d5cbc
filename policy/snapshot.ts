/**
 * Schema of the organization snapshot read by `rollout effective --org <file>` (zod, strict:
 * unknown keys are errors). Parsing errors become InputError(file, path, expected) → exit 2.
 * Policy contents are also checked for operator problems (`operatorProblems`: unknown operators,
 * operators on the wrong kind of value, malformed child-control lists), reported at
 * `policies[<i>].content.<path inside the document>`.
 */
import { z } from 'zod';
import { InputError } from '../core/errors.js';
import { snapshotProblems, type OrgSnapshot } from './effective.js';
import { operatorProblems } from './operators.js';

const id = z.string().min(1, 'expected a non-empty id');
const node = z.strictObject({ id, parent: id });
export const orgSnapshotSchema = z.strictObject({
  root: id,
  ous: z.array(node).default([]),
  accounts: z.array(node),
  policies: z
    .array(
      z.strictObject({
        id,
        content: z.union([z.string(), z.record(z.string(), z.unknown())], {
          error: 'expected a policy document object or its JSON string',
        }),
        targets: z.array(id),
      }),
    )
    .default([]),
});

const fmtPath = (path: PropertyKey[]) =>
  path.map((p, i) => (typeof p === 'number' ? `[${p}]` : i === 0 ? String(p) : `.${String(p)}`)).join('') || '(document)';

/** Validates an already JSON-parsed snapshot: shape (zod) and structure (parents, targets, cycles). */
export function parseOrgSnapshot(raw: unknown, file: string): OrgSnapshot {
  const r = orgSnapshotSchema.safeParse(raw);
  if (!r.success) {
    const issue = r.error.issues[0];
    // Unknown keys are reported on their parent by zod; name the key itself.
    if (issue.code === 'unrecognized_keys') {
      throw new InputError(
        file,
        fmtPath([...issue.path, issue.keys[0]]),
        `unknown key (expected ${issue.path.length === 0 ? 'root, ous, accounts, policies' : 'only the documented fields'})`,
      );
    }
    throw new InputError(file, fmtPath(issue.path), issue.message);
  }
  const snap = r.data as OrgSnapshot;
  const problems = snapshotProblems(snap);
  if (!problems.length)
    snap.policies.forEach((p, i) => {
      for (const o of operatorProblems(p.content))
        problems.push({ path: `policies[${i}].content${o.path === '(document)' ? '' : `.${o.path}`}`, message: o.message });
    });
  if (problems.length) {
    const [first, ...rest] = problems;
    const more = rest.length
      ? `; also ${rest
          .slice(0, 3)
          .map((p) => `${p.path}: ${p.message}`)
          .join('; ')}${rest.length > 3 ? ` (and ${rest.length - 3} more)` : ''}`
      : '';
    throw new InputError(file, first.path, first.message + more);
  }
  return snap;
}
