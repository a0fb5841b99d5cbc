import type { Command } from 'commander';
import { loadEnvironment } from '../../../model/index.js';
import { action, emit, warnEnvironment } from '../support.js';
import type { Io } from '../../ui/io.js';
import { exceptionView, EXPIRY_WARNING_DAYS, type ExceptionView } from '../../report/report.js';
import { addOptions, flagsOf } from './options.js';

export const EXCEPTIONS_SCHEMA_VERSION = 1;

function table(list: ExceptionView[]): string {
  if (!list.length) return 'no exceptions';
  const rows = list.map((e) => [e.id, e.status, e.expires, String(e.daysLeft), e.target, e.owner, e.approver, e.ticket ?? '']);
  const head = ['id', 'status', 'expires', 'days left', 'target', 'owner', 'approver', 'ticket'];
  const w = head.map((h, i) => Math.max(h.length, ...rows.map((r) => r[i].length)));
  return [head, ...rows]
    .map((r) =>
      r
        .map((x, i) => x.padEnd(w[i]))
        .join('  ')
        .trimEnd(),
    )
    .join('\n');
}

export function register(program: Command, io: Io): void {
  const ex = program.command('exceptions').description('recorded enforcement exceptions: list them, or check for expired ones (CI)');
  const list = ex
    .command('list')
    .description(
      `every exception with status active / expiring-soon (within ${EXPIRY_WARNING_DAYS} days) / expired, owner, approver, expiry`,
    );
  addOptions(list, ['env', 'asOf']);
  list.action(
    action(io, async (_o: unknown, c: Command) => {
      const flags = flagsOf(c);
      // Read-only: the release definitions (code) are checked but never imported.
      const env = await loadEnvironment(flags.env, { definitions: 'skip' });
      warnEnvironment(io, env);
      const views = env.exceptions.map((e) => exceptionView(e, flags.asOf));
      emit(
        io,
        flags,
        {
          schemaVersion: EXCEPTIONS_SCHEMA_VERSION,
          kind: 'exceptions',
          env: env.name,
          asOf: flags.asOf.toISOString().slice(0, 10),
          exceptions: views,
        },
        () => table(views),
      );
      return 0;
    }),
  );
  const check = ex
    .command('check')
    .description(
      'exit 1 when any exception has expired (it no longer applies and must be removed or renewed); warns about ones expiring soon',
    );
  addOptions(check, ['env', 'asOf']);
  check.action(
    action(io, async (_o: unknown, c: Command) => {
      const flags = flagsOf(c);
      // Read-only: the release definitions (code) are checked but never imported.
      const env = await loadEnvironment(flags.env, { definitions: 'skip' });
      warnEnvironment(io, env);
      const views = env.exceptions.map((e) => exceptionView(e, flags.asOf));
      const expired = views.filter((v) => v.status === 'expired');
      const soon = views.filter((v) => v.status === 'expiring-soon');
      const ok = expired.length === 0;
      emit(
        io,
        flags,
        {
          schemaVersion: EXCEPTIONS_SCHEMA_VERSION,
          kind: 'exceptions-check',
          env: env.name,
          asOf: flags.asOf.toISOString().slice(0, 10),
          ok,
          expired,
          expiringSoon: soon,
        },
        () =>
          [
            ok
              ? `ok: no expired exceptions in ${env.name}`
              : `${expired.length} expired exception(s) in ${env.name} — no longer applied; remove them from the environment file or renew them with a new approval:`,
            ...expired.map(
              (e) =>
                `  ✖ ${e.id} expired ${e.expires} (target ${e.target}, owner ${e.owner}, approver ${e.approver}${e.ticket ? `, ${e.ticket}` : ''})`,
            ),
            ...soon.map((e) => `  ! ${e.id} expires ${e.expires} (${e.daysLeft} days left, owner ${e.owner})`),
          ].join('\n'),
      );
      return ok ? 0 : 1;
    }),
  );
}
