/**
 * Terraform engine: adopted objects reach Terraform's state through `import` blocks in the
 * synthesized stack of the owning phase (https://developer.hashicorp.com/terraform/language/import),
 * so the plan that takes them over is reviewed like any other (`importing` on the change) and
 * nothing is created beside them.
 */
import type { StackArtifact } from '../../../stacks/artifact.js';
import { writeJsonAtomic } from '../../state/store.js';
import type { AdoptedRecord } from '../../state/store.js';

type ImportBlock = NonNullable<AdoptedRecord['imports']>[number];

/** Does the stack declare the resource at `address` (`type.name`)? An import of an undeclared address is a Terraform error. */
function declares(json: Record<string, unknown>, address: string): boolean {
  const [type, name] = address.split('.');
  const resources = (json.resource ?? {}) as Record<string, Record<string, unknown>>;
  return Boolean(type && name && resources[type]?.[name]);
}

/** The stack JSON with the import blocks for resources it declares (pure; existing blocks are kept, none doubled). */
export function withImportBlocks(json: Record<string, unknown>, imports: readonly ImportBlock[]): Record<string, unknown> {
  const existing = Array.isArray(json.import) ? (json.import as ImportBlock[]) : [];
  const add = imports.filter((i) => declares(json, i.to) && !existing.some((e) => e.to === i.to));
  if (!add.length) return json;
  return { ...json, import: [...existing, ...add.map((i) => ({ to: i.to, id: i.id, ...(i.provider ? { provider: i.provider } : {}) }))] };
}

/** Adds the import blocks to a synthesized stack in place (its JSON and its file). */
export async function injectImports(stack: StackArtifact, imports: readonly ImportBlock[]): Promise<void> {
  if (!imports.length) return;
  const json = withImportBlocks(stack.json, imports);
  if (json === stack.json) return;
  stack.json = json;
  await writeJsonAtomic(stack.file, json);
}
