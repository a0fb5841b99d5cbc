/**
 * Which rendering of the reviewer report a stream gets: rendered for the terminal when it is
 * one (and neither --json nor --markdown), the PR-comment markdown otherwise, so
 * `rollout plan pilot > plan.md` and CI logs keep getting exactly the markdown.
 */
import { renderPlanMarkdown, type PlanReport } from '../report/report.js';
import { renderPlanTerminal } from './terminal-report.js';
import { terminalStyleFor, type TerminalStream } from './terminal.js';

export interface ViewFlags {
  json?: boolean;
  markdown?: boolean;
}

export function rendersForTerminal(stream: TerminalStream, flags: ViewFlags): boolean {
  return Boolean(stream.isTTY) && !flags.json && !flags.markdown;
}

/** The report as `stream` should show it. */
export function planView(report: PlanReport, flags: ViewFlags, stream: TerminalStream): string {
  return rendersForTerminal(stream, flags) ? renderPlanTerminal(report, terminalStyleFor(stream)) : renderPlanMarkdown(report);
}
