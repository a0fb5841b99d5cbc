/**
 * Effective-policy changes grouped by identical change: in an organization most accounts move
 * the same way (v1 → v2 everywhere), so a reviewer reads one line per distinct change with the
 * number of accounts instead of one row per account. Pure.
 */
import type { AccountEffectiveChange } from './effective-diff.js';

export interface EffectiveGroup {
  /** One line, e.g. "baseline@2026.11.1 (v1) → baseline@2026.11.2 (v2) in us-east-1, eu-west-1". */
  change: string;
  before: string;
  after: string;
  accounts: { account: string; name: string }[];
}

interface Segment {
  region: string;
  release: string;
  settings: string;
}

/** Parses one summarizeEffective line ("us-east-1: R (v1) system=… messages=… models=…; eu-west-1: …"). */
function segments(summary: string): Map<string, Segment> | null {
  if (summary === 'none') return null;
  const out = new Map<string, Segment>();
  for (const part of summary.split('; ')) {
    const m = /^(\S+): (.*?) (system=.*)$/.exec(part);
    if (!m) return new Map([['*', { region: '*', release: part, settings: '' }]]);
    out.set(m[1], { region: m[1], release: m[2], settings: m[3] });
  }
  return out;
}

/** What changes in one region, shortest form first: only the release, only the settings, or both. */
function regionChange(b: Segment | undefined, a: Segment | undefined): string {
  if (!b) return a ? `none → ${a.release} ${a.settings}` : 'none';
  if (!a) return `${b.release} → none`;
  if (b.settings === a.settings) return `${b.release} → ${a.release}`;
  if (b.release === a.release) return `${b.release}: ${b.settings} → ${a.settings}`;
  return `${b.release} ${b.settings} → ${a.release} ${a.settings}`;
}

/** A change as one line, regions with the same change joined ("… in us-east-1, eu-west-1"). */
export function describeEffectiveChange(before: string, after: string): string {
  const b = segments(before);
  const a = segments(after);
  const regions = [...new Set([...(b?.keys() ?? []), ...(a?.keys() ?? [])])];
  const byChange = new Map<string, string[]>();
  for (const region of regions) {
    const sb = b?.get(region);
    const sa = a?.get(region);
    if (sb && sa && sb.release === sa.release && sb.settings === sa.settings) continue;
    const text = regionChange(sb, sa);
    byChange.set(text, [...(byChange.get(text) ?? []), region]);
  }
  if (!byChange.size) return `${before} → ${after}`;
  return [...byChange].map(([text, rs]) => `${text} in ${rs.join(', ')}`).join('; ');
}

/** Groups accounts by identical before → after, largest group first (ties: first seen). */
export function groupEffectiveChanges(changed: readonly AccountEffectiveChange[]): EffectiveGroup[] {
  const groups = new Map<string, EffectiveGroup>();
  for (const c of changed) {
    const key = `${c.before}\u0000${c.after}`;
    let g = groups.get(key);
    if (!g) {
      g = { change: describeEffectiveChange(c.before, c.after), before: c.before, after: c.after, accounts: [] };
      groups.set(key, g);
    }
    g.accounts.push({ account: c.account, name: c.name });
  }
  return [...groups.values()].sort((x, y) => y.accounts.length - x.accounts.length);
}
