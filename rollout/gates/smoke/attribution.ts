/**
 * Which guardrail is under test, and whether the guardrail that acted on a case was that one
 * (docs/aws-facts.md#layering: organization-enforced, account-enforced and request guardrails
 * all run; #detecting-intervention: each assessment names its guardrail in
 * `appliedGuardrailDetails` — `guardrailArn`, `guardrailVersion`, `guardrailOrigin`).
 *
 *  - pilot: the pilot account's own account-enforced guardrail (`ctx.published[region]`, origin
 *    ACCOUNT_ENFORCED);
 *  - model-rules, ou, enterprise: the management account's version of the release
 *    (`ctx.published[region]`, origin ORGANIZATION_ENFORCED).
 *
 * A must-block case passes only when that guardrail blocked it; blocks by other layers are
 * reported beside it, not counted. A must-pass case fails when any layer blocks it.
 */
import { GetGuardrailCommand } from '@aws-sdk/client-bedrock';
import { parseVersionDescription } from '../../../core/naming.js';
import type { Phase, SmokeCase } from '../../../model/types.js';
import type { CheckResult } from '../../state/contracts.js';
import type { GateRunContext } from '../context.js';
import type { Layer, Outcome } from './outcome.js';

export type EnforcedOrigin = 'ACCOUNT_ENFORCED' | 'ORGANIZATION_ENFORCED';

export interface UnderTest {
  phase: Phase;
  release: string;
  origin: EnforcedOrigin;
  /** Unversioned ARN, id and version of the release's published version in the region (undefined: not given). */
  arn?: string;
  guardrailId?: string;
  version?: string;
}

export function underTestFor(ctx: Pick<GateRunContext, 'phase' | 'release' | 'published'>, region: string): UnderTest {
  const p = ctx.published[region];
  return {
    phase: ctx.phase,
    release: ctx.release,
    origin: ctx.phase === 'pilot' ? 'ACCOUNT_ENFORCED' : 'ORGANIZATION_ENFORCED',
    arn: p?.guardrailArn,
    guardrailId: p?.guardrailId,
    version: p?.version,
  };
}

/** Is this layer the guardrail under test (same guardrail and version, through the expected origin)? */
export function isUnderTest(l: Layer, ut: UnderTest): boolean {
  if (!ut.arn && !ut.guardrailId) return false;
  const same = l.arn ? l.arn === ut.arn : l.id !== undefined && (l.id === ut.guardrailId || l.id === `${ut.guardrailId}:${ut.version}`);
  if (!same) return false;
  if (l.version !== undefined && l.version !== ut.version) return false;
  return l.origin.length === 0 || l.origin.includes(ut.origin);
}

const ORIGIN_LABEL: Record<string, string> = {
  ACCOUNT_ENFORCED: 'account-enforced',
  ORGANIZATION_ENFORCED: 'organization-enforced',
  REQUEST: 'request',
};

const originText = (origin: readonly string[]) =>
  origin.length ? origin.map((o) => ORIGIN_LABEL[o] ?? o).join('+') : 'origin not reported';

/** "organization-enforced arn:…:guardrail/abc:3 (release baseline@2026.11.2)". */
export function describeLayer(l: Pick<Layer, 'arn' | 'id' | 'version' | 'origin'>, release?: string): string {
  const ref = l.arn ?? l.id ?? '?';
  return `${originText(l.origin)} ${ref}${l.version ? `:${l.version}` : ''}${release ? ` (release ${release})` : ''}`;
}

export function describeUnderTest(ut: UnderTest): string {
  if (!ut.arn) return `the ${ORIGIN_LABEL[ut.origin]} guardrail of release ${ut.release} (no published version given for this region)`;
  return describeLayer({ arn: ut.arn, version: ut.version, origin: [ut.origin] }, ut.release);
}

/**
 * Release names of guardrail versions, for reports: known ones from the context (the release
 * under test, `publishedByRelease`), others from the version's description
 * ("release <name> sha256:…") with GetGuardrail in the owning account. Never fails a check: an
 * unknown name is just left out.
 */
export class ReleaseNames {
  private readonly known = new Map<string, string>();
  private readonly pending = new Map<string, Promise<string | undefined>>();

  constructor(private readonly ctx: Pick<GateRunContext, 'access' | 'release' | 'published' | 'publishedByRelease'>) {
    for (const [release, byRegion] of Object.entries(ctx.publishedByRelease ?? {}))
      for (const p of Object.values(byRegion)) this.known.set(`${p.guardrailArn}:${p.version}`, release);
    for (const p of Object.values(ctx.published)) this.known.set(`${p.guardrailArn}:${p.version}`, ctx.release);
  }

  async of(l: Pick<Layer, 'arn' | 'version'>): Promise<string | undefined> {
    if (!l.arn || !l.version) return undefined;
    const key = `${l.arn}:${l.version}`;
    const hit = this.known.get(key);
    if (hit) return hit;
    let p = this.pending.get(key);
    if (!p) {
      p = this.lookup(l.arn, l.version);
      this.pending.set(key, p);
    }
    return p;
  }

  private async lookup(arn: string, version: string): Promise<string | undefined> {
    const [, , , region, owner] = arn.split(':');
    if (!region || !owner) return undefined;
    try {
      const out = await this.ctx.access
        .forAccount(owner, region)
        .bedrock.send(new GetGuardrailCommand({ guardrailIdentifier: arn, guardrailVersion: version }));
      return parseVersionDescription(out.description)?.release;
    } catch {
      return undefined;
    }
  }
}

export interface LayerEvidence {
  arn?: string;
  version?: string;
  origin: string[];
  release?: string;
  underTest: boolean;
  blocked: string[];
  anonymized: string[];
}

export interface Verdict {
  status: CheckResult['status'];
  detail: string;
  /** Added to the check's evidence. */
  attribution: { underTest: UnderTest; layers: LayerEvidence[]; counted: boolean };
}

/**
 * The verdict of one case from its outcome and the layers of the trace (pure). `what` is the
 * findings suffix the detail carries, e.g. " (contentPolicy:VIOLENCE=BLOCKED)".
 */
export function judge(c: SmokeCase, o: Outcome, layers: readonly LayerEvidence[], ut: UnderTest, stopReason?: string): Verdict {
  const what = o.findings.length ? ` (${o.findings.slice(0, 4).join(', ')})` : '';
  const mine = layers.find((l) => l.underTest);
  const others = layers.filter((l) => !l.underTest);
  const list = (ls: readonly LayerEvidence[]) => ls.map((l) => describeLayer(l, l.release)).join(' and ');
  const findings = (fs: readonly string[]) => (fs.length ? ` (${fs.slice(0, 4).join(', ')})` : '');
  const otherBlocks = others.filter((l) => l.blocked.length);
  const beside = (ls: readonly LayerEvidence[], verb: string) =>
    ls.length
      ? `; also ${verb} by ${ls.map((l) => `${describeLayer(l, l.release)}${findings(verb === 'blocked' ? l.blocked : l.anonymized)}`).join(' and ')} (not counted)`
      : '';
  const on = `on ${c.model} (${c.surface})`;
  const verdict = (status: Verdict['status'], detail: string, counted: boolean): Verdict => ({
    status,
    detail,
    attribution: { underTest: ut, layers: [...layers], counted },
  });

  if (c.expect === 'allowed') {
    if (o.outcome === 'allowed') return verdict('passed', `allowed as expected${what}`, true);
    const acting = layers.filter((l) => (o.outcome === 'blocked' ? l.blocked : l.anonymized).length);
    const by = acting.length ? ` — ${o.outcome} by ${list(acting)}` : '';
    return verdict('failed', `OVERBLOCKING: a must-pass case was ${o.outcome} ${on}${what}${by}`, true);
  }

  if (!ut.arn) {
    return verdict(
      'inconclusive',
      `${o.outcome} ${on}${what}, but no published version of ${ut.release} was given for this region: cannot tell whether the guardrail under test acted`,
      false,
    );
  }
  if (c.expect === 'blocked') {
    if (mine?.blocked.length) {
      return verdict(
        'passed',
        `blocked as expected by the guardrail under test, ${describeUnderTest(ut)}${findings(mine.blocked)}${beside(otherBlocks, 'blocked')}`,
        true,
      );
    }
    if (o.outcome === 'blocked' && layers.length === 0) {
      return verdict(
        'inconclusive',
        `blocked ${on} (stopReason ${stopReason ?? '?'}) but the response names no guardrail: cannot tell whether the guardrail under test (${describeUnderTest(ut)}) blocked it`,
        false,
      );
    }
    const did = mine ? 'assessed the call and did not block it' : 'did not assess the call';
    if (otherBlocks.length) {
      return verdict(
        'failed',
        `expected blocked by the guardrail under test (${describeUnderTest(ut)}) ${on}, but it ${did}; blocked only by ${otherBlocks
          .map((l) => `${describeLayer(l, l.release)}${findings(l.blocked)}`)
          .join(' and ')} — a block by another layer does not count`,
        false,
      );
    }
    return verdict(
      'failed',
      `expected blocked, got ${o.outcome} ${on}${what}; the guardrail under test (${describeUnderTest(ut)}) ${did}`,
      false,
    );
  }

  // expect: anonymized
  if (o.outcome !== 'anonymized') {
    const did = mine ? '' : `; the guardrail under test (${describeUnderTest(ut)}) did not assess the call`;
    return verdict('failed', `expected anonymized, got ${o.outcome} ${on}${what}${did}`, false);
  }
  const otherMasks = others.filter((l) => l.anonymized.length);
  if (mine?.anonymized.length) {
    return verdict(
      'passed',
      `anonymized as expected by the guardrail under test, ${describeUnderTest(ut)}${findings(mine.anonymized)}${beside(otherMasks, 'anonymized')}`,
      true,
    );
  }
  if (!mine) {
    return verdict(
      'failed',
      `expected anonymized by the guardrail under test (${describeUnderTest(ut)}), but it did not assess the call; anonymized only by ${list(otherMasks)}`,
      false,
    );
  }
  // Masks chain: a layer evaluated earlier may have masked the text before the guardrail under
  // test saw it, and the order of layers is not documented (docs/aws-facts.md#layering). Not
  // evidence either way about the guardrail under test; said so rather than counted.
  return verdict(
    'passed',
    `anonymized as expected, by ${otherMasks
      .map((l) => `${describeLayer(l, l.release)}${findings(l.anonymized)}`)
      .join(
        ' and ',
      )}; the guardrail under test (${describeUnderTest(ut)}) assessed the call without a finding — it may have seen the text already masked by that layer, so this is not evidence about it`,
    false,
  );
}
