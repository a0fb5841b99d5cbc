/**
 * The Slack incoming-webhook message of a payload (pure): `text` is the fallback shown in
 * notifications and by clients without blocks; `blocks` is the readable message. Slack's limits
 * (https://docs.slack.dev/reference/block-kit/blocks): a header ≤ 150 characters, a section text
 * ≤ 3000, at most 10 fields of ≤ 2000 each — lists are capped, with "and N more".
 */
import type { NotificationEventName } from '../../model/types.js';
import type { NotificationPayload } from './payload.js';

/** Failed checks or expiring exceptions listed in the message; the rest are counted. */
export const SLACK_LIST_CAP = 10;

export interface SlackText {
  type: 'plain_text' | 'mrkdwn';
  text: string;
  emoji?: boolean;
}
export type SlackBlock =
  | { type: 'header'; text: SlackText }
  | { type: 'section'; text?: SlackText; fields?: SlackText[] }
  | { type: 'context'; elements: SlackText[] };
export interface SlackMessage {
  text: string;
  blocks: SlackBlock[];
}

const TITLE: Record<NotificationEventName, string> = {
  'promotion-started': '▶️ Promotion started',
  'promotion-passed': '✅ Promotion passed',
  'promotion-halted': '🛑 Promotion halted',
  'rolled-back': '↩️ Rolled back',
  'gate-failed': '❌ Gate failed',
  'exceptions-expiring': '⏳ Exceptions expiring',
};

/** Slack reads &, < and > as markup (links, mentions): escape them in anything we did not write. */
export const escapeMrkdwn = (s: string): string => s.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;');
const clip = (s: string, max: number) => (s.length > max ? `${s.slice(0, max - 1)}…` : s);
const code = (s: string) => `\`${escapeMrkdwn(s).replace(/`/g, "'")}\``;

function list<T>(items: readonly T[], line: (x: T) => string, extra = 0): string {
  const shown = items.slice(0, SLACK_LIST_CAP).map((x) => `• ${line(x)}`);
  const more = items.length - shown.length + extra;
  if (more > 0) shown.push(`_and ${more} more_`);
  // Cut whole lines to stay under the section limit.
  let out = '';
  for (const l of shown) {
    if (out.length + l.length + 1 > 2900) return `${out}\n_…_`;
    out = out ? `${out}\n${l}` : l;
  }
  return out;
}

export function slackMessage(p: NotificationPayload): SlackMessage {
  const where = [p.env, p.phase].filter(Boolean).join(' / ');
  const title = `${TITLE[p.event]} — ${where}`;
  const fields: SlackText[] = [
    { type: 'mrkdwn', text: `*Environment*\n${escapeMrkdwn(p.env)}` },
    ...(p.phase ? [{ type: 'mrkdwn' as const, text: `*Phase*\n${p.phase}` }] : []),
    ...(p.release ? [{ type: 'mrkdwn' as const, text: `*Release*\n${code(p.release)}` }] : []),
    ...(p.unit ? [{ type: 'mrkdwn' as const, text: `*Unit*\n${code(p.unit.slice(0, 12))}` }] : []),
    ...(p.attemptId ? [{ type: 'mrkdwn' as const, text: `*Attempt*\n${code(p.attemptId)}` }] : []),
    { type: 'mrkdwn', text: `*Event*\n${p.event}` },
  ];
  const blocks: SlackBlock[] = [
    { type: 'header', text: { type: 'plain_text', text: clip(title, 150), emoji: true } },
    { type: 'section', text: { type: 'mrkdwn', text: clip(escapeMrkdwn(p.summary), 2900) }, fields },
  ];
  if (p.checks?.length) {
    const total = p.checks.length + (p.omittedChecks ?? 0);
    const body = list(
      p.checks,
      (c) => `${code(`${c.gate} ${c.id}`)} ${c.status}: ${escapeMrkdwn(clip(c.detail, 200))}`,
      p.omittedChecks ?? 0,
    );
    blocks.push({ type: 'section', text: { type: 'mrkdwn', text: `*Failed checks (${total})*\n${body}` } });
  }
  if (p.exceptions?.length) {
    const body = list(
      p.exceptions,
      (x) =>
        `${code(x.id)} on ${code(x.target)} expires ${x.expires} (${x.daysLeft} day${x.daysLeft === 1 ? '' : 's'} left), owner ${escapeMrkdwn(x.owner)}`,
    );
    blocks.push({ type: 'section', text: { type: 'mrkdwn', text: `*Expiring exceptions (${p.exceptions.length})*\n${body}` } });
  }
  blocks.push({ type: 'context', elements: [{ type: 'mrkdwn', text: `${p.at} · guardrail-rollout ${escapeMrkdwn(p.toolVersion)}` }] });
  const nFailed = (p.checks?.length ?? 0) + (p.omittedChecks ?? 0);
  const failed = nFailed ? ` (${nFailed} failed check${nFailed === 1 ? '' : 's'})` : '';
  // The fallback is plain: notification previews do not render mrkdwn lists.
  return { text: clip(escapeMrkdwn(`[${where}] ${p.event}: ${p.summary}${failed}`), 3000), blocks };
}
