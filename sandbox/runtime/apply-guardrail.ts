/**
 * ApplyGuardrail (POST /guardrail/{id}/version/{v}/apply). Not subject to enforcement: it
 * evaluates exactly the named guardrail (the AWS docs use it as the pre-flight test that
 * callers can use an enforced guardrail).
 * https://docs.aws.amazon.com/bedrock/latest/APIReference/API_runtime_ApplyGuardrail.html
 */
import { AwsError } from '../errors.js';
import { evaluateGuardrail } from '../evaluator/index.js';
import type { RuntimeRequest, RuntimeResponse, RuntimeWorld } from './context.js';
import { json, parseJsonBody } from './common.js';
import { checkAccess, requireIdentity } from './enforcement.js';
import { evaluationRecord } from './evaluations.js';

export async function applyGuardrail(req: RuntimeRequest, world: RuntimeWorld): Promise<RuntimeResponse> {
  const identifier = req.params.guardrailIdentifier ?? '';
  const version = req.params.guardrailVersion ?? '';
  if (!/^(?:DRAFT|[1-9]\d{0,7})$/.test(version)) {
    throw new AwsError('ValidationException', 400, `Invalid guardrailVersion "${version}": expected DRAFT or a version number.`);
  }
  const body = parseJsonBody(req.body);
  if (body.source !== 'INPUT' && body.source !== 'OUTPUT')
    throw new AwsError('ValidationException', 400, 'source must be INPUT or OUTPUT.');
  if (!Array.isArray(body.content) || body.content.length === 0)
    throw new AwsError('ValidationException', 400, 'content must be a non-empty list of content blocks.');
  if (body.outputScope !== undefined && body.outputScope !== 'INTERVENTIONS' && body.outputScope !== 'FULL') {
    throw new AwsError('ValidationException', 400, 'outputScope must be INTERVENTIONS or FULL.');
  }
  const blocks: { text: string; qualifiers?: string[] }[] = [];
  let images = 0;
  for (const [i, b] of body.content.entries()) {
    const block = b as { text?: { text?: unknown; qualifiers?: unknown }; image?: unknown };
    if (block?.text && typeof block.text.text === 'string') {
      blocks.push({
        text: block.text.text,
        qualifiers: Array.isArray(block.text.qualifiers) ? block.text.qualifiers.map(String) : undefined,
      });
    } else if (block?.image) {
      images++; // images are accepted and counted, not evaluated
    } else {
      throw new AwsError('ValidationException', 400, `content.${i} must be a text or image block.`);
    }
  }

  // Authorization comes first on AWS: the identity policy is evaluated before the guardrail is looked up.
  requireIdentity(
    req.identity,
    'bedrock:ApplyGuardrail',
    identifier.startsWith('arn:') ? identifier : `arn:aws:bedrock:${req.region}:${req.callerAccount}:guardrail/${identifier}`,
  );
  const snapshot = world.findGuardrail(identifier, version, req.callerAccount, req.region);
  if (!snapshot || snapshot.region !== req.region) {
    throw new AwsError('ResourceNotFoundException', 404, `The guardrail ${identifier} version ${version} was not found in ${req.region}.`);
  }
  const ownership = checkAccess(world, snapshot, req.callerAccount, 'ApplyGuardrail', req.identity);
  const started = performance.now();
  const r = evaluateGuardrail(snapshot.config, { source: body.source, blocks, outputScope: body.outputScope as 'FULL' | undefined });
  req.onEvaluations?.([evaluationRecord(snapshot, ['REQUEST'], body.source, r, 'ApplyGuardrail')]);
  const assessment = {
    ...r.assessment,
    invocationMetrics: {
      ...r.assessment.invocationMetrics,
      guardrailProcessingLatency: Math.max(0, Math.round(performance.now() - started)),
    },
    appliedGuardrailDetails: {
      guardrailId: snapshot.guardrailId,
      guardrailVersion: snapshot.version,
      guardrailArn: snapshot.guardrailArn,
      guardrailOrigin: ['REQUEST'],
      guardrailOwnership: ownership,
    },
  };
  return json({
    usage: r.assessment.invocationMetrics!.usage,
    action: r.action,
    actionReason: r.blocked ? 'Guardrail blocked.' : r.anonymized ? 'Guardrail masked.' : 'No action.',
    outputs: r.outputs,
    assessments: [assessment],
    guardrailCoverage: { textCharacters: r.coverage, ...(images ? { images: { guarded: 0, total: images } } : {}) },
  });
}
