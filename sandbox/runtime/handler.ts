/**
 * Entry point of the sandbox Bedrock Runtime: the server routes ApplyGuardrail, Converse and
 * InvokeModel here with the caller's account and region (from SigV4). Errors are thrown as
 * AwsError and serialized by the server (restJson1).
 */
import { AwsError } from '../errors.js';
import { applyGuardrail } from './apply-guardrail.js';
import type { RuntimeRequest, RuntimeResponse, RuntimeWorld } from './context.js';
import { converse } from './converse.js';
import { invokeModel } from './invoke-model.js';

export async function handleRuntime(req: RuntimeRequest, world: RuntimeWorld): Promise<RuntimeResponse> {
  switch (req.operation) {
    case 'ApplyGuardrail':
      return applyGuardrail(req, world);
    case 'Converse':
      return converse(req, world);
    case 'InvokeModel':
      return invokeModel(req, world);
    default:
      throw new AwsError(
        'UnknownOperationException',
        404,
        `The sandbox Bedrock Runtime does not implement ${(req as RuntimeRequest).operation}.`,
      );
  }
}
