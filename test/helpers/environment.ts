/** Writes a variant of the shipped sandbox environment to a temp dir and loads it. */
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { parseDocument, type Document } from 'yaml';
import { loadEnvironment } from '../../model/load.js';
import { InputError } from '../../core/errors.js';

export const SANDBOX_DIR = resolve('environments/sandbox');
export const SANDBOX_FILE = join(SANDBOX_DIR, 'environment.yaml');
export const FIXTURES_DIR = resolve('test/helpers/fixtures');

/** The sandbox YAML with release, team addition and contentFile paths made absolute, ready to mutate. */
export function sandboxDoc(): Document {
  const doc = parseDocument(readFileSync(SANDBOX_FILE, 'utf8'));
  const releases = doc.get('releases') as { items: unknown[] };
  releases.items.forEach((_, i) => {
    doc.setIn(['releases', i, 'definition'], join(SANDBOX_DIR, String(doc.getIn(['releases', i, 'definition']))));
  });
  doc.setIn(['smokeSuites', 'must-pass', 1, 'contentFile'], join(SANDBOX_DIR, 'smoke/long-system-prompt.txt'));
  const additions = doc.get('teamAdditions') as { items: unknown[] } | undefined;
  additions?.items.forEach((_, i) => {
    doc.setIn(['teamAdditions', i, 'definition'], join(SANDBOX_DIR, String(doc.getIn(['teamAdditions', i, 'definition']))));
  });
  return doc;
}

/**
 * The mutated sandbox as text. Its release and contentFile paths point into environments/sandbox,
 * so `fileRoots` lists that directory and the fixtures (appended last, after the mutation, so the
 * line numbers of everything the tests look at stay those of the shipped file).
 */
function mutatedText(mutate: (doc: Document) => void | string): string {
  const doc = sandboxDoc();
  const replaced = mutate(doc);
  if (typeof replaced === 'string') return replaced;
  if (!doc.has('fileRoots')) doc.set('fileRoots', [SANDBOX_DIR, FIXTURES_DIR]);
  return doc.toString();
}

export function writeEnv(text: string): string {
  const dir = mkdtempSync(join(tmpdir(), 'env-'));
  const file = join(dir, 'environment.yaml');
  writeFileSync(file, text);
  return file;
}

/** Loads a mutated sandbox; returns the InputError it throws (fails the test if it loads). */
export async function loadError(mutate: (doc: Document) => void | string): Promise<InputError> {
  const file = writeEnv(mutatedText(mutate));
  try {
    await loadEnvironment(file);
  } catch (e) {
    if (e instanceof InputError) return e;
    throw e;
  }
  throw new Error('expected the environment to be rejected, but it loaded');
}

export async function loadMutated(mutate: (doc: Document) => void | string) {
  return loadEnvironment(writeEnv(mutatedText(mutate)));
}

/** A mutated sandbox written to a temp dir: the file's path, for the CLI's --env. */
export function writeMutated(mutate: (doc: Document) => void | string): string {
  return writeEnv(mutatedText(mutate));
}
