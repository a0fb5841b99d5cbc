/**
 * Where `rollout plan <phase> --out <path>` writes the markdown report and the plan file
 * (rollout/flows/plan-file.ts). Every --out gives both, so a reviewed report always has the file
 * `promote --plan` binds to:
 *   - a directory (exists as one, or the path ends with "/"): <dir>/<phase>.md and <dir>/<phase>.plan.json
 *   - a path ending in .json: the plan file there, the markdown beside it (x.plan.json → x.md, x.json → x.md)
 *   - anything else (today's `--out report.md`): the markdown there, the plan file beside it (report.plan.json)
 */
import { mkdir, stat, writeFile } from 'node:fs/promises';
import { join, sep } from 'node:path';
import type { Phase } from '../../model/types.js';
import { type PlanFile, writePlanFile } from './plan-file.js';

export interface PlanOutPaths {
  markdown: string;
  plan: string;
}

/** The two paths for an --out value (pure: `isDir` says whether the path exists as a directory). */
export function planOutPaths(out: string, phase: Phase, isDir: boolean): PlanOutPaths {
  if (isDir || out.endsWith('/') || out.endsWith(sep)) return { markdown: join(out, `${phase}.md`), plan: join(out, `${phase}.plan.json`) };
  if (out.endsWith('.json')) return { markdown: `${out.replace(/(\.plan)?\.json$/, '')}.md`, plan: out };
  return { markdown: out, plan: `${out.replace(/\.md$/, '')}.plan.json` };
}

async function isDirectory(path: string): Promise<boolean> {
  try {
    return (await stat(path)).isDirectory();
  } catch {
    return false;
  }
}

/** Writes both files (creating a directory named with a trailing "/"); returns where they went. */
export async function writePlanOut(out: string, phase: Phase, markdown: string, plan: PlanFile): Promise<PlanOutPaths> {
  const paths = planOutPaths(out, phase, await isDirectory(out));
  if (out.endsWith('/') || out.endsWith(sep)) await mkdir(out, { recursive: true });
  await writeFile(paths.markdown, markdown);
  await writePlanFile(paths.plan, plan);
  return paths;
}
