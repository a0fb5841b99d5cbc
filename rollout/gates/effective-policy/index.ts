/**
 * Effective-policy verification, after apply: org phases compare what Organizations computes
 * for every account in scope with the policy engine (organization.ts); the pilot compares the
 * pilot account's enforced configuration with the stack's (account-config.ts).
 */
import type { GateResult } from '../../state/contracts.js';
import type { GateRunContext } from '../context.js';
import type { Gate } from '../gate.js';
import { gateResult } from '../result.js';
import { pilotChecks } from './account-config.js';
import { orgChecks } from './organization.js';

export async function runEffectivePolicyCheck(ctx: GateRunContext): Promise<GateResult> {
  const startedAt = new Date();
  const checks = ctx.phase === 'pilot' ? await pilotChecks(ctx) : await orgChecks(ctx);
  return gateResult('effective-policy', startedAt, checks);
}

export const effectivePolicyGate: Gate<GateRunContext> = { name: 'effective-policy', run: runEffectivePolicyCheck };
