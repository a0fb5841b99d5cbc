/**
 * Terminal primitives for the human views of `plan`, `promote` and `rollback`: whether to
 * colour, how wide the terminal is, and tables and paragraphs that fit that width.
 *
 * No colour library: the few SGR codes needed are written here, so the NO_COLOR / FORCE_COLOR
 * decision is ours and the same on every Node version (util.styleText changed its own checks
 * between Node 20 and 22). Widths count code points, which is exact for the ASCII, arrows and
 * dashes these views print (no East Asian wide characters come from the report).
 */

export interface TerminalStyle {
  color: boolean;
  /** Columns available; every line printed fits. */
  width: number;
}

export const DEFAULT_WIDTH = 100;
const MIN_WIDTH = 40;

/** Where a stream is a terminal: is it one, and how wide. */
export interface TerminalStream {
  isTTY?: boolean;
  columns?: number;
}

/**
 * Colour per https://no-color.org and the FORCE_COLOR convention (Node, chalk): FORCE_COLOR=0
 * turns it off, any other FORCE_COLOR on; else a non-empty NO_COLOR turns it off; else only on a TTY.
 */
export function colorEnabled(stream: TerminalStream, env: NodeJS.ProcessEnv = process.env): boolean {
  const force = env.FORCE_COLOR;
  if (force !== undefined) return force !== '0' && force !== 'false';
  if (env.NO_COLOR) return false;
  return Boolean(stream.isTTY);
}

/** The style of a stream: its columns (a pty may report 0: then COLUMNS, then 100). */
export function terminalStyleFor(stream: TerminalStream, env: NodeJS.ProcessEnv = process.env): TerminalStyle {
  const columns = stream.columns || Number(env.COLUMNS) || DEFAULT_WIDTH;
  return { color: colorEnabled(stream, env), width: Math.max(MIN_WIDTH, columns) };
}

export type Tone = 'bold' | 'dim' | 'red' | 'yellow' | 'green' | 'cyan';
const SGR: Record<Tone, [number, number]> = {
  bold: [1, 22],
  dim: [2, 22],
  red: [31, 39],
  yellow: [33, 39],
  green: [32, 39],
  cyan: [36, 39],
};

export function paint(style: TerminalStyle, tone: Tone | undefined, text: string): string {
  if (!style.color || !tone || !text) return text;
  const [on, off] = SGR[tone];
  return `\u001b[${on}m${text}\u001b[${off}m`;
}

// biome-ignore lint/suspicious/noControlCharactersInRegex: matching ANSI escape sequences is the point.
const ANSI = /\u001b\[[0-9;]*m/g;

export function visibleWidth(text: string): number {
  return [...text.replace(ANSI, '')].length;
}

/** Word-wraps plain text to `width` columns; a word longer than a line is cut. `indent` prefixes continuation lines. */
export function wrap(text: string, width: number, indent = ''): string[] {
  const len = (t: string) => [...t].length;
  const lines: string[] = [];
  let line = '';
  const limit = () => Math.max(1, width - (lines.length ? indent.length : 0));
  for (let word of text.split(/\s+/).filter(Boolean)) {
    if (line && len(line) + 1 + len(word) <= limit()) {
      line += ` ${word}`;
      continue;
    }
    if (line) lines.push(line);
    line = '';
    // A long ARN or address cannot fit on any line: cut it where the line ends.
    for (let n = limit(); len(word) > n; n = limit()) {
      lines.push([...word].slice(0, n).join(''));
      word = [...word].slice(n).join('');
    }
    line = word;
  }
  if (line || !lines.length) lines.push(line);
  return lines.map((l, i) => (i ? indent + l : l));
}

const GAP = '  ';
const MIN_COL = 6;

/**
 * A table that fits `style.width`: columns keep their natural width while they fit; otherwise
 * the widest shrink (cells wrap onto more lines) until the table fits. `tone` colours a cell.
 */
export function fitTable(
  style: TerminalStyle,
  headers: string[],
  rows: string[][],
  tone: (row: number, col: number) => Tone | undefined = () => undefined,
): string {
  const natural = headers.map((h, i) => Math.max(visibleWidth(h), ...rows.map((r) => visibleWidth(r[i] ?? ''))));
  const widths = [...natural];
  const budget = style.width - GAP.length * (headers.length - 1);
  // Prose columns give way first (down to their longest word), so ids and dates are not cut;
  // only if that is not enough does every column shrink, the widest first.
  const longestWord = headers.map((h, i) =>
    Math.max(...[h, ...rows.map((r) => r[i] ?? '')].flatMap((c) => c.split(/\s+/).map((w) => visibleWidth(w)))),
  );
  for (const floor of [(i: number) => Math.max(MIN_COL, longestWord[i]), () => MIN_COL]) {
    while (widths.reduce((a, b) => a + b, 0) > budget) {
      const candidates = widths.map((w, i) => (w > floor(i) ? w : -1));
      const widest = candidates.indexOf(Math.max(...candidates));
      if (candidates[widest] < 0) break;
      widths[widest]--;
    }
  }
  const render = (cells: string[], toneOf: (col: number) => Tone | undefined): string[] => {
    const wrapped = cells.map((c, i) => wrap(c, widths[i]));
    const height = Math.max(...wrapped.map((w) => w.length));
    const out: string[] = [];
    for (let l = 0; l < height; l++) {
      out.push(
        wrapped
          .map((w, i) => paint(style, toneOf(i), (w[l] ?? '').padEnd(widths[i])))
          .join(GAP)
          .trimEnd(),
      );
    }
    return out;
  };
  return [
    ...render(headers, () => 'bold'),
    widths.map((w) => '─'.repeat(w)).join(GAP),
    ...rows.flatMap((r, ri) => render(r, (ci) => tone(ri, ci))),
  ].join('\n');
}
