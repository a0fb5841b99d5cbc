/**
 * Entry point of the sandbox Bedrock Runtime: the server routes ApplyGuardrail, Converse and
 * InvokeModel here with the caller's account and region (from SigV4). Errors are thrown as
 * AwsError and serialized by the server (restJson1).
 */
import { AwsError } from '../errors.js';
import { applyGuardrail } from './apply-guardrail.js';
import type { RuntimeRequest, RuntimeResponse, RuntimeWorld } from './context.js';
import { converse } from './converse.js';
import { requireIdentity } from './enforcement.js';
import { invokeModel } from './invoke-model.js';

export async function handleRuntime(req: RuntimeRequest, world: RuntimeWorld): Promise<RuntimeResponse> {
  switch (req.operation) {
    case 'ApplyGuardrail':
      return applyGuardrail(req, world);
    case 'Converse':
    case 'InvokeModel': {
      // Converse needs the bedrock:InvokeModel permission, as InvokeModel does
      // (https://docs.aws.amazon.com/bedrock/latest/APIReference/API_runtime_Converse.html).
      const modelId = req.params.modelId ?? '';
      const resource = modelId.startsWith('arn:') ? modelId : `arn:aws:bedrock:${req.region}::foundation-model/${modelId}`;
      requireIdentity(req.identity, 'bedrock:InvokeModel', resource);
      return req.operation === 'Converse' ? converse(req, world) : invokeModel(req, world);
    }
    default:
      throw new AwsError(
        'UnknownOperationException',
        404,
        `The sandbox Bedrock Runtime does not implement ${(req as RuntimeRequest).operation}.`,
      );
  }
}
