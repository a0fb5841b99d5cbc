/**
 * Operator checks for policy documents read from files a person hands in (`rollout effective
 * --org <snapshot>`): what the inheritance engine would otherwise read leniently or ignore.
 * Generic over management policy types (tag, backup, BEDROCK_POLICY…):
 *  - an unknown `@@…` key is an error (the engine would drop it silently);
 *  - a child-control list must be a non-empty list of @@all, @@none, @@assign, @@append,
 *    @@remove, with @@all / @@none alone;
 *  - a key carries either value operators or child keys, not both.
 * For BEDROCK_POLICY documents (top-level `bedrock`), the kind of every setting is known:
 * `identifier`, `system`, `messages` and the legacy `input_tags` take one string (only
 * `@@assign`), `included_models` / `excluded_models` take lists of strings, and the containers
 * above them take no value operators.
 * Pure: no I/O. Paths are dotted key paths, operators included
 * (`bedrock.guardrail_inference.us-east-1.config_1.identifier.@@assignn`).
 */
import { APPEND, ASSIGN, CHILD_CONTROL, REMOVE } from './document.js';

export interface OperatorProblem {
  path: string;
  message: string;
}

const VALUE_OPS = [ASSIGN, APPEND, REMOVE];
const KNOWN = [...VALUE_OPS, CHILD_CONTROL];
const CHILD_CONTROL_ENTRIES = ['@@all', '@@none', ASSIGN, APPEND, REMOVE];
const isObj = (v: unknown): v is Record<string, unknown> => typeof v === 'object' && v !== null && !Array.isArray(v);
const join = (a: string, b: string) => (a ? `${a}.${b}` : b);

/** What a value is, for messages: `a string`, `a list`, `an object`, `the number 3`… */
export function kindOf(v: unknown): string {
  if (v === null) return 'null';
  if (Array.isArray(v)) return 'a list';
  if (typeof v === 'object') return 'an object';
  if (typeof v === 'string') return `the string ${JSON.stringify(v.length > 60 ? `${v.slice(0, 57)}...` : v)}`;
  return `the ${typeof v} ${String(v)}`;
}

type Kind = 'scalar' | 'list' | 'container' | 'free';

/** The kind of the key at `keys` (path below the document root) in a BEDROCK_POLICY. */
function bedrockKind(keys: string[]): Kind {
  // bedrock . guardrail_inference . <region> . <config> . <setting> [. <sub>]
  if (keys.length <= 4) return keys[0] === 'bedrock' && (keys.length < 2 || keys[1] === 'guardrail_inference') ? 'container' : 'free';
  if (keys[0] !== 'bedrock' || keys[1] !== 'guardrail_inference') return 'free';
  const [setting, sub] = [keys[4], keys[5]];
  if (keys.length === 5) {
    if (setting === 'identifier' || setting === 'input_tags') return 'scalar';
    if (setting === 'selective_content_guarding' || setting === 'model_enforcement') return 'container';
    return 'free';
  }
  if (keys.length === 6) {
    if (setting === 'selective_content_guarding' && (sub === 'system' || sub === 'messages')) return 'scalar';
    if (setting === 'model_enforcement' && (sub === 'included_models' || sub === 'excluded_models')) return 'list';
  }
  return 'free';
}

/** Problems with the operators of one policy document (object or JSON string; invalid JSON is the caller's). */
export function operatorProblems(doc: unknown): OperatorProblem[] {
  const problems: OperatorProblem[] = [];
  let parsed = doc;
  if (typeof doc === 'string') {
    try {
      parsed = JSON.parse(doc);
    } catch {
      return problems;
    }
  }
  if (!isObj(parsed)) return problems;
  const bedrock = 'bedrock' in parsed;
  walk(problems, parsed, [], bedrock);
  return problems;
}

function checkChildControl(out: OperatorProblem[], path: string, v: unknown): void {
  const expected = `a non-empty list of ${CHILD_CONTROL_ENTRIES.join(', ')}`;
  if (!Array.isArray(v)) {
    out.push({ path, message: `expected ${expected}, got ${kindOf(v)}` });
    return;
  }
  if (v.length === 0) {
    out.push({ path, message: `expected ${expected}, got an empty list` });
    return;
  }
  v.forEach((op, i) => {
    if (typeof op !== 'string' || !CHILD_CONTROL_ENTRIES.includes(op))
      out.push({
        path: `${path}[${i}]`,
        message: `unknown entry ${JSON.stringify(op) ?? String(op)}; expected one of ${CHILD_CONTROL_ENTRIES.join(', ')}`,
      });
  });
  for (const alone of ['@@none', '@@all'])
    if (v.includes(alone) && v.length > 1)
      out.push({ path, message: `${alone} must be used alone in ${CHILD_CONTROL}, got ${JSON.stringify(v)}` });
}

const isStringList = (v: unknown): boolean => Array.isArray(v) && v.every((x) => typeof x === 'string');

function walk(out: OperatorProblem[], obj: Record<string, unknown>, keys: string[], bedrock: boolean): void {
  const path = keys.join('.');
  const kind: Kind = bedrock ? bedrockKind(keys) : 'free';
  const name = keys[keys.length - 1] ?? 'the document';
  let valueOps = 0;
  let children = 0;
  for (const [k, v] of Object.entries(obj)) {
    const p = join(path, k);
    if (k === CHILD_CONTROL) {
      checkChildControl(out, p, v);
      continue;
    }
    if (k.startsWith('@@')) {
      if (!KNOWN.includes(k)) {
        out.push({ path: p, message: `unknown operator ${k}; expected ${ASSIGN}, ${APPEND}, ${REMOVE} or ${CHILD_CONTROL}` });
        continue;
      }
      valueOps++;
      if (keys.length === 0)
        out.push({ path: p, message: `${k} is not allowed at the top of a policy document; value operators belong on settings` });
      else if (kind === 'container')
        out.push({ path: p, message: `${k} is not allowed on "${name}", which holds other keys; value operators belong on its settings` });
      else if (kind === 'scalar') {
        if (k !== ASSIGN)
          out.push({ path: p, message: `${k} applies to lists only; "${name}" takes one string: use {"${ASSIGN}": "<string>"}` });
        else if (typeof v !== 'string') out.push({ path: p, message: `expected a string for "${name}", got ${kindOf(v)}` });
      } else if (kind === 'list' && !isStringList(v))
        out.push({ path: p, message: `expected a list of strings for "${name}", got ${kindOf(v)}` });
      continue;
    }
    if (kind === 'scalar' || kind === 'list') {
      out.push({
        path: p,
        message: `unknown key inside the setting "${name}"; expected ${kind === 'scalar' ? `{"${ASSIGN}": "<string>"}` : `{"${ASSIGN}"|"${APPEND}"|"${REMOVE}": [<strings>]}`}`,
      });
      continue;
    }
    children++;
    const childKeys = [...keys, k];
    const childKind: Kind = bedrock ? bedrockKind(childKeys) : 'free';
    if (isObj(v)) {
      walk(out, v, childKeys, bedrock);
      continue;
    }
    // A bare value (no operator) is read as @@assign (documented lenient reading): check its kind.
    if (childKind === 'scalar' && typeof v !== 'string')
      out.push({ path: p, message: `expected {"${ASSIGN}": "<string>"} for "${k}", got ${kindOf(v)}` });
    else if (childKind === 'list' && !isStringList(v))
      out.push({ path: p, message: `expected {"${ASSIGN}": [<strings>]} for "${k}", got ${kindOf(v)}` });
    else if (childKind === 'container') out.push({ path: p, message: `expected an object for "${k}", got ${kindOf(v)}` });
  }
  if (valueOps && children && kind === 'free')
    out.push({
      path: path || '(document)',
      message: `"${name}" has both value operators and child keys; a key holds either a value (${ASSIGN}/${APPEND}/${REMOVE}) or other keys`,
    });
}
