/**
 * `preflight:document:<key>` (org phases): the phase's BEDROCK_POLICY documents, built with the
 * published identifiers, validate (`validatePolicyDocument`: size limit, identifiers, regions).
 */
import { buildPhasePolicies, validatePolicyDocument } from '../../../policy/index.js';
import type { CheckResult } from '../../state/contracts.js';
import type { GateRunContext } from '../context.js';
import type { Check } from '../gate.js';
import { identifierOf } from '../published.js';

function documentChecks(ctx: GateRunContext): CheckResult[] {
  if (ctx.phase === 'pilot') return [];
  const identifiers = Object.fromEntries(Object.entries(ctx.published).map(([r, p]) => [r, identifierOf(p)]));
  try {
    const specs = buildPhasePolicies({ env: ctx.env, phase: ctx.phase, identifiers, asOf: ctx.asOf, release: ctx.release });
    return specs.map((s) => {
      const issues = validatePolicyDocument(s.content, {
        managementAccountId: ctx.env.managementAccountId,
        regions: ctx.env.regions,
      }).filter((i) => i.severity === 'error');
      const size = JSON.stringify(s.content).length;
      return issues.length
        ? {
            id: `preflight:document:${s.key}`,
            status: 'failed' as const,
            detail: `${s.name}: ${issues.map((i) => `${i.path || '(document)'}: ${i.message}`).join('; ')}`,
          }
        : { id: `preflight:document:${s.key}`, status: 'passed' as const, detail: `${s.name}: valid, ${size} characters` };
    });
  } catch (err) {
    return [
      { id: 'preflight:document', status: 'failed', detail: `the phase's policy documents do not validate: ${(err as Error).message}` },
    ];
  }
}

export const documentsCheck: Check = {
  ids: ['preflight:document'],
  run: async (ctx) => documentChecks(ctx),
};
