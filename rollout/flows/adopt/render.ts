/** The inventory as a person reads it (plain text, one object per line, differences indented). */
import type { AdoptRow } from './mapping.js';

const MAPPING_TEXT: Record<AdoptRow['mapping'], string> = {
  'same-content': 'same content',
  'different-content': 'different content',
  'not-represented': 'not represented',
  managed: 'managed',
};

export function renderRows(rows: readonly AdoptRow[]): string {
  if (!rows.length) return 'no BEDROCK_POLICY policy or account-level enforced configuration found';
  return rows
    .flatMap((r) => [
      `${r.kind === 'policy' ? 'policy' : 'account-config'} ${r.label} (${r.id}) at ${r.where.join(', ') || '(not attached)'}: ${MAPPING_TEXT[r.mapping]}${r.owner ? ` → ${r.owner}` : ''}`,
      `    ${r.detail}`,
      ...(r.differences ?? []).map((d) => `      ${d}`),
    ])
    .join('\n');
}
