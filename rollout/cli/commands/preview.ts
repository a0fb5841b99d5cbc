/**
 * `rollout preview --env <name|path> [--phase P] [--release R] [--as-of YYYY-MM-DD] [--json|--markdown] [--diff]`:
 * effective enforcement per account and region after a phase is applied. Thin over policy/preview.ts.
 */
import type { Command } from 'commander';
import { PHASES, type Phase } from '../../../model/types.js';
import { loadEnvironment } from '../../../model/index.js';
import { computePreview, nextPhaseFor } from '../../../policy/index.js';
import { action, emit, warnEnvironment } from '../support.js';
import type { Io } from '../../ui/io.js';
import { InputError } from '../../../core/errors.js';
import { loadRecordedRollout } from '../../state/recorded-phases.js';
import { renderPreviewMarkdown, renderPreviewText } from '../views/preview.js';
import { rendersForTerminal } from '../../ui/plan-view.js';
import { terminalStyleFor } from '../../ui/terminal.js';

export interface PreviewOptions {
  env?: string;
  phase?: string;
  release?: string;
  asOf?: string;
  json?: boolean;
  markdown?: boolean;
  diff?: boolean;
}

/** YYYY-MM-DD → that day, 00:00 UTC (an exception expiring that day still applies). */
export function parseAsOf(v: string | undefined, now = new Date()): Date {
  if (v === undefined) return now;
  const m = /^(\d{4})-(\d{2})-(\d{2})$/.exec(v);
  const d = m ? new Date(Date.UTC(+m[1], +m[2] - 1, +m[3])) : undefined;
  if (!m || !d || d.getUTCMonth() !== +m[2] - 1 || d.getUTCDate() !== +m[3])
    throw new InputError(undefined, '--as-of', `expected a date as YYYY-MM-DD, got "${v}"`);
  return d;
}

export function register(program: Command, io: Io): void {
  program
    .command('preview')
    .description('show the effective guardrail enforcement of every account and region after a phase is applied')
    .option('--env <name|path>', 'environment name or file (default: $GUARDRAIL_ENV or sandbox)')
    .option('--phase <phase>', `phase to apply (${PHASES.join(', ')}; default: the next phase not yet running the release)`)
    .option('--release <name>', "release to apply (default: the environment's currentRelease)")
    .option('--as-of <date>', 'evaluate exception expiry on this date (YYYY-MM-DD; default: now)')
    .option('--json', 'print the preview as JSON')
    .option('--markdown', 'print a markdown report (for reviewers)')
    .option('--diff', 'compare with the currently recorded rollout state')
    .action(
      action(io, async (opts: PreviewOptions, cmd: Command) => {
        const globals = cmd.optsWithGlobals() as PreviewOptions;
        const json = Boolean(opts.json ?? globals.json);
        if (json && opts.markdown) throw new InputError(undefined, '--markdown', 'choose one of --json or --markdown');
        if (opts.phase !== undefined && !(PHASES as readonly string[]).includes(opts.phase)) {
          throw new InputError(undefined, '--phase', `expected one of ${PHASES.join(', ')}, got "${opts.phase}"`);
        }
        const asOf = parseAsOf(opts.asOf);
        const env = await loadEnvironment(opts.env ?? globals.env ?? process.env.GUARDRAIL_ENV ?? 'sandbox');
        warnEnvironment(io, env);
        const release = opts.release ?? env.currentRelease;
        if (!env.releases.some((r) => r.name === release)) {
          throw new InputError(
            env.sourceFile,
            '--release',
            `release "${release}" is not defined (defined: ${env.releases.map((r) => r.name).join(', ') || 'none'})`,
          );
        }
        const recorded = await loadRecordedRollout(env);
        const phase = (opts.phase as Phase | undefined) ?? nextPhaseFor(recorded.phases, release);
        const result = computePreview({
          env,
          phase,
          release,
          asOf,
          recorded: recorded.phases,
          published: recorded.published,
          diff: Boolean(opts.diff),
        });
        if (opts.markdown) io.out(renderPreviewMarkdown(result));
        else {
          // A terminal gets lines fitted to its width; a pipe or file the plain table as before.
          const style = rendersForTerminal(process.stdout, { json }) ? terminalStyleFor(process.stdout) : undefined;
          emit(io, { json }, result, () => renderPreviewText(result, style));
        }
        return 0;
      }),
    );
}
