/**
 * `rollout adopt`: inventories the BEDROCK_POLICY policies and account-level enforced
 * configurations in the organization, maps each to the phase that would own it (mapping.ts),
 * and after confirmation takes over what maps: the sandbox engine records them as resources of
 * the owning phase's stack; the terraform engine's next plan of that phase imports them (import
 * blocks, imports.ts). The rollout state records what was adopted, so preflight accepts it by
 * content and the effective-policy gate expects it until the owning phase applies; the ledger
 * records it (kind 'adopted'). Nothing is changed in AWS: whatever the owning phase does to an
 * adopted object (update, replace, delete) appears in that phase's plan first. docs/adopt.md.
 */
import { UsageError } from '../../../core/errors.js';
import type { SandboxEngine } from '../../engines/sandbox/engine.js';
import { newAttemptId, type AdoptedRecord } from '../../state/store.js';
import type { Progress } from '../../ui/progress.js';
import { recordedEnforcement } from '../promote.js';
import type { Session } from '../session.js';
import { expectation } from './expected.js';
import { readInventory, type Inventory } from './inventory.js';
import { type AdoptRow, mapInventory, takeable } from './mapping.js';
import { takeover } from './takeover.js';
import { PHASES } from '../../../model/types.js';

export type { AdoptRow, Mapping } from './mapping.js';

export interface AdoptResult {
  schemaVersion: 1;
  kind: 'adopt';
  env: string;
  ok: boolean;
  exitCode: 0;
  /** adopted: taken over now; nothing-to-adopt: every object is ours already or not represented. */
  outcome: 'adopted' | 'nothing-to-adopt';
  engine: 'sandbox' | 'terraform';
  /** Every object found, with its mapping. */
  rows: AdoptRow[];
  /** What was taken over now: id, owning phase, mapping (and the Terraform imports). */
  adopted: Pick<AdoptedRecord, 'kind' | 'id' | 'owner' | 'mapping' | 'imports'>[];
  unreadable: Inventory['unreadable'];
  attemptId?: string;
  ledgerSeq?: number;
  message: string;
}

export interface AdoptDeps {
  progress: Progress;
  /** Asked before anything is recorded, unless --yes; false: declined (exit 2, nothing changes). */
  confirm?: (rows: AdoptRow[]) => Promise<boolean>;
}

export async function adopt(s: Session, deps: AdoptDeps): Promise<AdoptResult> {
  const { progress } = deps;
  const t = await s.target();
  const state = await s.state();
  const inventory = await progress.step('inventory BEDROCK_POLICY policies and account-level configurations', () =>
    readInventory(t.access, s.env),
  );
  // A phase holding something already has its own object where an adopted one would go.
  const occupied = new Set(PHASES.filter((p) => state.phases[p]?.release));
  const rows = mapInventory({
    env: s.env,
    policies: inventory.policies,
    accountConfigs: inventory.accountConfigs,
    known: recordedEnforcement(state),
    expected: expectation(s.env, state, s.release, s.flags.asOf),
    occupied,
  });
  const take = takeable(rows);
  const base = {
    schemaVersion: 1 as const,
    kind: 'adopt' as const,
    env: s.env.name,
    ok: true,
    exitCode: 0 as const,
    engine: t.engineName,
    rows,
    unreadable: inventory.unreadable,
  };
  if (!take.length) {
    const message = rows.length
      ? 'nothing to adopt: every object found is already managed or not represented in the environment'
      : 'nothing to adopt: no BEDROCK_POLICY policy or account-level configuration in the organization';
    return { ...base, outcome: 'nothing-to-adopt', adopted: [], message };
  }
  if (!s.flags.yes && !(await (deps.confirm ?? (async () => false))(rows))) throw new UsageError('cancelled: nothing was adopted');

  const attemptId = `adopt-${newAttemptId()}`;
  const adoptedAt = new Date().toISOString();
  const takeovers = take.map((row) => takeover(s.env, row));
  if (t.engineName === 'sandbox') {
    for (const tk of takeovers)
      await progress.step(`record ${tk.record.id} in the ${tk.record.owner} stack's engine state`, () =>
        (t.engine as SandboxEngine).recordAdopted(tk.record.owner, tk.resources),
      );
  }
  const records: AdoptedRecord[] = takeovers.map((tk) => ({ ...tk.record, adoptedAt, attemptId }));
  await s.updateState((st) => {
    const fresh = new Set(records.map((r) => `${r.kind}:${r.id}`));
    st.adopted = [...(st.adopted ?? []).filter((a) => a.settledAt || !fresh.has(`${a.kind}:${a.id}`)), ...records];
  });
  const adopted = records.map(({ kind, id, owner, mapping, imports }) => ({
    kind,
    id,
    owner,
    mapping,
    ...(t.engineName === 'terraform' ? { imports } : {}),
  }));
  const message = `adopted ${records.length} object(s): ${take.map((r) => `${r.label} (${r.id}) → ${r.owner}, ${r.mapping}`).join('; ')}`;
  const entry = await s.ledger.append({
    env: s.env.name,
    kind: 'adopted',
    attemptId,
    status: 'adopted',
    summary: message,
    detail: {
      adopted: take.map((r) => ({ kind: r.kind, id: r.id, label: r.label, where: r.where, owner: r.owner, mapping: r.mapping })),
      notRepresented: rows
        .filter((r) => r.mapping === 'not-represented')
        .map((r) => ({ kind: r.kind, id: r.id, label: r.label, where: r.where })),
      engine: t.engineName,
    },
  });
  return { ...base, outcome: 'adopted', adopted, attemptId, ledgerSeq: entry.seq, message };
}
