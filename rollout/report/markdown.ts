/**
 * Markdown pieces of the reviewer report that make it a good PR comment (as Atlantis and tfcmt
 * post plans): a hidden marker a pipeline finds to update its one comment, release names in
 * code spans, and long lists collapsed. Pure.
 */

/** Tables longer than this are collapsed in `<details>`: the comment stays readable, nothing is dropped. */
export const COLLAPSE_ROWS = 10;

/**
 * The comment's first line: invisible on GitHub, unique per environment and phase, so a pipeline
 * can find and edit its previous comment instead of posting a new one on each push.
 */
export function planMarker(env: string, phase: string): string {
  return `<!-- guardrail-rollout plan env=${env} phase=${phase} -->`;
}

/** A release name such as baseline@2026.11.2 (ends in a word character, so a trailing "." stays out). */
const RELEASE_NAME = /[\w.-]*\w@[\w.-]*\w/g;

/**
 * Puts every release name of a free text in a code span: GitHub autolinks a bare
 * `baseline@2026.11.2` as an e-mail address. Text already in backticks is left alone.
 */
export function codeReleases(text: string): string {
  return text
    .split(/(`[^`]*`)/)
    .map((part, i) => (i % 2 === 1 ? part : part.replace(RELEASE_NAME, (m) => `\`${m}\``)))
    .join('');
}

/** `body` collapsed under `summary` when it has more than COLLAPSE_ROWS rows; as is otherwise. */
export function collapsible(summary: string, body: string, rows: number): string {
  if (rows <= COLLAPSE_ROWS) return body;
  // Blank lines around the body: GitHub renders markdown inside <details> only after one.
  return `<details><summary>${summary}</summary>\n\n${body}\n\n</details>`;
}
