/**
 * Diagnostics and attribute paths in tfplugin6 form. Part of the provider double, a TEST DOUBLE of
 * hashicorp/aws for the local emulator (never used against AWS). Errors thrown by resource code
 * become error diagnostics: a gRPC failure would read as "Plugin error" without the message.
 */
import { attributeType, type WireType } from './cty.js';
import { type BlockSchema, type Diagnostic, ProviderError } from './types.js';

export type ProtoStep = { attribute_name: string } | { element_key_string: string } | { element_key_int: number };
export interface ProtoPath {
  steps: ProtoStep[];
}
export interface ProtoDiagnostic {
  severity: 'ERROR' | 'WARNING';
  summary: string;
  detail: string;
  attribute?: ProtoPath;
}

/**
 * Path steps from names and indexes. A string is an attribute name unless the schema says the
 * value there is a map, where it is an element key.
 */
export function toProtoPath(path: readonly (string | number)[], block?: BlockSchema): ProtoPath {
  let at: { block?: BlockSchema; type?: WireType; elements?: boolean } = { block };
  const steps: ProtoStep[] = [];
  for (const s of path) {
    if (typeof s === 'number') {
      steps.push({ element_key_int: s });
      at = at.elements
        ? { block: at.block }
        : { type: Array.isArray(at.type) && at.type[0] !== 'object' ? (at.type[1] as WireType) : undefined };
      continue;
    }
    const t = at.type;
    if (Array.isArray(t) && t[0] === 'map') {
      steps.push({ element_key_string: s });
      at = { type: t[1] as WireType };
      continue;
    }
    steps.push({ attribute_name: s });
    if (at.block?.attributes[s]) at = { type: attributeType(at.block.attributes[s]) };
    else if (at.block?.blocks?.[s]) {
      const nb = at.block.blocks[s];
      at = nb.nesting === 'single' ? { block: nb.block } : { block: nb.block, elements: true };
    } else if (Array.isArray(t) && t[0] === 'object') at = { type: (t[1] as Record<string, WireType>)[s] };
    else at = {};
  }
  return { steps };
}

export function toProtoDiagnostic(d: Diagnostic, block?: BlockSchema): ProtoDiagnostic {
  const out: ProtoDiagnostic = { severity: d.severity === 'error' ? 'ERROR' : 'WARNING', summary: d.summary, detail: d.detail ?? '' };
  if (d.path && d.path.length > 0) out.attribute = toProtoPath(d.path, block);
  return out;
}

/** Anything thrown → one error diagnostic (ProviderError keeps its summary, detail and path). */
export function errorDiagnostic(e: unknown, context: string): Diagnostic {
  if (e instanceof ProviderError) return { severity: 'error', summary: e.summary, detail: e.detail, path: e.path };
  const message = e instanceof Error ? e.message : String(e);
  return { severity: 'error', summary: `Provider double: ${context} failed`, detail: message };
}
