import { AwsError } from '../errors.js';
import { findModel, type CatalogueModel } from '../models.js';
import { underlyingModelId } from './enforcement.js';
import type { RuntimeResponse } from './context.js';

export function parseJsonBody(body: Buffer, what = 'request body'): Record<string, unknown> {
  if (body.length === 0) return {};
  let v: unknown;
  try {
    v = JSON.parse(body.toString('utf8'));
  } catch {
    throw new AwsError('ValidationException', 400, `Malformed input request: the ${what} is not valid JSON.`);
  }
  if (!v || typeof v !== 'object' || Array.isArray(v))
    throw new AwsError('ValidationException', 400, `Malformed input request: the ${what} must be a JSON object.`);
  return v as Record<string, unknown>;
}

export function json(body: unknown, status = 200): RuntimeResponse {
  return { status, headers: { 'content-type': 'application/json' }, body: JSON.stringify(body) };
}

/** The catalogue model behind a model id / inference profile / foundation-model ARN. */
export function catalogueModel(modelId: string): CatalogueModel {
  const m = findModel(underlyingModelId(modelId));
  if (!m) throw new AwsError('ValidationException', 400, `The provided model identifier is invalid: ${modelId}.`);
  return m;
}

export const isEmbedding = (m: CatalogueModel) => m.outputModalities.includes('EMBEDDING');
