/**
 * Text helpers shared by the heuristic detectors: tokenising, stop words and a tiny stemmer.
 * Deterministic and locale-independent on purpose (the emulator must give the same verdict
 * on every machine).
 */

const STOP_WORDS = new Set(
  (
    'a an and are as at be been being but by can could did do does doing for from had has have having he her ' +
    'him his how i if in into is it its itself just me more most my no nor not of off on once only or other our ' +
    'out over own same she should so some such than that the their them then there these they this those through ' +
    'to too under until up very was we were what when where which while who whom why will with would you your ' +
    'yours about above after again against all any because before below between both down during each few further ' +
    'here also any many much may might must shall via per etc e g ie eg like get got make made use used using ' +
    'include includes including related relating regarding discuss discussing discussion question questions ' +
    'ask asking asks provide provides providing give giving information info topic topics content any anything ' +
    'something someone thing things way ways want need tell please help'
  ).split(/\s+/),
);

const TOKEN_RE = /[\p{L}\p{N}]+(?:['’][\p{L}]+)?/gu;

/** Light suffix stripping so "investments" ~ "investment" ~ "investing". */
export function stem(word: string): string {
  let w = word.toLowerCase().replace(/['’]s$/, '');
  if (w.length > 5 && w.endsWith('ies')) w = `${w.slice(0, -3)}y`;
  else if (w.length > 5 && w.endsWith('ing')) w = w.slice(0, -3);
  else if (w.length > 4 && w.endsWith('ed')) w = w.slice(0, -2);
  else if (w.length > 3 && w.endsWith('es') && /(?:ss|x|ch|sh)es$/.test(w)) w = w.slice(0, -2);
  else if (w.length > 3 && w.endsWith('s') && !w.endsWith('ss')) w = w.slice(0, -1);
  return w;
}

// Memo of word → stem ('' for stop words); bounded so adversarial input cannot grow it forever.
const STEMS = new Map<string, string>();
export function clearStemMemo(): void {
  STEMS.clear();
}
const ASCII_TOKEN_RE = /[A-Za-z0-9]+(?:'[A-Za-z]+)?/g;

/** Stemmed content tokens (stop words and 1-letter tokens removed), in order. */
export function contentTokens(text: string): string[] {
  const out: string[] = [];
  // biome-ignore lint/suspicious/noControlCharactersInRegex: the ASCII range test is the point
  const re = /^[\x00-\x7f]*$/.test(text) ? ASCII_TOKEN_RE : TOKEN_RE;
  re.lastIndex = 0;
  let m: RegExpExecArray | null;
  while ((m = re.exec(text)) !== null) {
    const word = m[0];
    let s = STEMS.get(word);
    if (s === undefined) {
      const raw = word.toLowerCase();
      s = raw.length < 2 || STOP_WORDS.has(raw) ? '' : stem(raw);
      if (STEMS.size > 50_000) STEMS.clear();
      STEMS.set(word, s);
    }
    if (s) out.push(s);
  }
  return out;
}

/** Lower-case, whitespace-collapsed form used for phrase containment checks. */
export function normalise(text: string): string {
  return (
    ' ' +
    text
      .toLowerCase()
      .replace(/[^\p{L}\p{N}]+/gu, ' ')
      .trim() +
    ' '
  );
}

export function escapeRegExp(s: string): string {
  return s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}

/** A regex source matching a word or phrase as whole words, with any whitespace between words. */
export function phraseSource(phrase: string): string {
  return phrase.trim().split(/\s+/).map(escapeRegExp).join('\\s+');
}
