/** props.ts is the authors' vocabulary: every optional field documents its default (`@default`). */
import { readFileSync } from 'node:fs';
import ts from 'typescript';

const FILE = new URL('../../guardrail/props.ts', import.meta.url).pathname;

function optionalFields(): { field: string; hasDefault: boolean }[] {
  const source = ts.createSourceFile(FILE, readFileSync(FILE, 'utf8'), ts.ScriptTarget.Latest, true);
  const out: { field: string; hasDefault: boolean }[] = [];
  source.forEachChild((node) => {
    if (!ts.isInterfaceDeclaration(node)) return;
    for (const m of node.members) {
      if (!ts.isPropertySignature(m) || !m.questionToken) continue;
      out.push({
        field: `${node.name.text}.${m.name.getText(source)}`,
        hasDefault: ts.getJSDocTags(m).some((t) => t.tagName.text === 'default'),
      });
    }
  });
  return out;
}

test('every optional field of props.ts has a @default tag', () => {
  const fields = optionalFields();
  expect(fields.length).toBeGreaterThan(20);
  expect(fields.filter((f) => !f.hasDefault).map((f) => f.field)).toEqual([]);
});
