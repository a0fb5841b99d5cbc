/**
 * The promoted unit: what a phase actually enforces, as one immutable, content-hashed value —
 * the release (name + content hash of its definition), the enforcement settings (guarding modes,
 * model lists) and the exceptions in force as of a date. Phase order, no-op detection, bake and
 * rollback are keyed on its hash, so a change to any part (a release, a guarding mode, an
 * excluded model, an exception) is a new unit that goes through the phases. The phase's smoke
 * suite is hashed beside it (`suiteHash`): a changed suite re-runs that phase's gates but does
 * not make the unit new (docs/rollout.md, "The promoted unit"). Pure.
 */
import { canonicalJson, canonicalSha256 } from '../core/canonical-json.js';
import { activeExceptions, exceptionStatus } from './exceptions.js';
import type { EnforcementDefaults, EnforcementException, Environment, Phase } from './types.js';

export interface PromotedUnit {
  /** sha256 hex of the canonical content (release, enforcement, exceptions). */
  hash: string;
  release: { name: string; contentHash: string };
  enforcement: EnforcementDefaults;
  /** Exceptions in force as of the unit's date, sorted by id. */
  exceptions: EnforcementException[];
}

/** A unit as people read it: `baseline@2026.11.2 #3f9a1c2e4b5d` (release and the first 12 hex of the unit hash). */
export function unitLabel(unit: Pick<PromotedUnit, 'hash' | 'release'>): string {
  return `${unit.release.name} #${unit.hash.slice(0, 12)}`;
}

export function unitHashOf(content: Omit<PromotedUnit, 'hash'>): string {
  return canonicalSha256(content);
}

/** The unit a promotion of `releaseName` computes from the environment as of `asOf`. */
export function promotedUnit(env: Environment, releaseName: string, asOf: Date): PromotedUnit {
  const release = env.releases.find((r) => r.name === releaseName);
  if (!release) throw new Error(`release ${releaseName} is not defined in environment ${env.name}`);
  const content = {
    release: { name: release.name, contentHash: release.contentHash },
    enforcement: structuredClone(env.enforcement),
    exceptions: activeExceptions(env, asOf)
      .map((x) => structuredClone(x))
      .sort((a, b) => (a.id < b.id ? -1 : a.id > b.id ? 1 : 0)),
  };
  return { hash: unitHashOf(content), ...content };
}

/** sha256 hex of a phase's smoke suite: what the phase's gates judged besides the unit. */
export function suiteHash(env: Environment, phase: Phase): string {
  return canonicalSha256(env.phases[phase].smoke);
}

/**
 * The environment as the unit sees it: its enforcement settings and exceptions in place of the
 * environment's current ones. Synthesis and the gates read a unit this way, so a unit recorded
 * yesterday is judged by what it held, not by today's file. Exceptions of the file that have
 * expired as of `asOf` are kept beside the unit's: they change nothing that is synthesized or
 * expected (only active exceptions do), but preflight must see them to find an expired
 * exception whose policy is still attached.
 */
export function environmentOfUnit(env: Environment, unit: Pick<PromotedUnit, 'enforcement' | 'exceptions'>, asOf: Date): Environment {
  const ids = new Set(unit.exceptions.map((x) => x.id));
  const expired = env.exceptions.filter((x) => !ids.has(x.id) && exceptionStatus(x, asOf) === 'expired');
  return { ...env, enforcement: unit.enforcement, exceptions: [...unit.exceptions, ...expired] };
}

/** What differs between two units, one line each (for the report and refusals). Empty when equal. */
export function unitChanges(before: PromotedUnit | null | undefined, after: PromotedUnit): string[] {
  if (!before) return [`new unit: release ${after.release.name}`];
  const out: string[] = [];
  if (before.release.name !== after.release.name) out.push(`release ${before.release.name} → ${after.release.name}`);
  else if (before.release.contentHash !== after.release.contentHash) out.push(`release ${after.release.name}: definition changed`);
  const b = before.enforcement;
  const a = after.enforcement;
  if (b.system !== a.system) out.push(`enforcement.system ${b.system} → ${a.system}`);
  if (b.messages !== a.messages) out.push(`enforcement.messages ${b.messages} → ${a.messages}`);
  for (const key of ['included', 'excluded'] as const) {
    const added = a.models[key].filter((m) => !b.models[key].includes(m));
    const removed = b.models[key].filter((m) => !a.models[key].includes(m));
    if (added.length) out.push(`enforcement.models.${key} + ${added.join(', ')}`);
    if (removed.length) out.push(`enforcement.models.${key} − ${removed.join(', ')}`);
  }
  const byId = (xs: EnforcementException[]) => new Map(xs.map((x) => [x.id, canonicalJson(x)]));
  const bx = byId(before.exceptions);
  const ax = byId(after.exceptions);
  for (const [id, x] of ax) {
    if (!bx.has(id)) out.push(`exception ${id} added`);
    else if (bx.get(id) !== x) out.push(`exception ${id} changed`);
  }
  for (const id of bx.keys()) if (!ax.has(id)) out.push(`exception ${id} no longer in force`);
  return out;
}

/**
 * True when `later` differs from `earlier` only by exceptions that are no longer in force (expired
 * or revoked: a deviation removed, never one added). The one rule that lets a unit skip phases: exception policies attach at the root only
 * (enterprise), so the narrower phases never enforced them and their evidence still holds.
 */
export function differsOnlyByDroppedExceptions(earlier: PromotedUnit, later: PromotedUnit): boolean {
  if (earlier.hash === later.hash) return false;
  const laterIds = new Set(later.exceptions.map((x) => x.id));
  const kept = earlier.exceptions.filter((x) => laterIds.has(x.id));
  return unitHashOf({ release: earlier.release, enforcement: earlier.enforcement, exceptions: kept }) === later.hash;
}
