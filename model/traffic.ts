/**
 * Synthetic application traffic for the emulator (`sandbox.traffic` of an environment file,
 * `rollout sandbox --traffic <profile>`): the calls the accounts' applications make, so a bake
 * analysis has something to judge. Built from the environment's own smoke cases (blocked and
 * anonymized ones are the harmful share, allowed ones the benign share), variants of them as
 * users would phrase them, and a corpus of everyday requests no smoke suite lists — the prompts
 * an over-eager release blocks without any smoke case noticing. Pure; the emulator
 * (sandbox/traffic) runs it.
 */
import type { Environment, SmokeCase } from './types.js';
import { PHASES } from './types.js';

export const TRAFFIC_PROFILES = ['steady', 'busy', 'quiet', 'none'] as const;
export type TrafficProfileName = (typeof TRAFFIC_PROFILES)[number];

/** The emulator's profile shape (sandbox/traffic): plain data. */
export interface TrafficProfile {
  name: string;
  /** Calls per second per account and region. */
  ratePerSecond: number;
  accounts: string[];
  regions: string[];
  prompts: TrafficPrompt[];
  seed?: number;
}

export interface TrafficPrompt {
  id: string;
  text: string;
  model: string;
  surface: 'message' | 'system';
  weight: number;
  kind: 'benign' | 'harmful';
}

interface Preset {
  ratePerSecond: number;
  /** Share of calls that carry harmful content (blocked or anonymized by a working guardrail). */
  harmfulShare: number;
}

const PRESETS: Record<Exclude<TrafficProfileName, 'none'>, Preset> = {
  steady: { ratePerSecond: 2, harmfulShare: 0.1 },
  busy: { ratePerSecond: 10, harmfulShare: 0.1 },
  // About one call a minute per account and region: too little for an analysis to judge.
  quiet: { ratePerSecond: 1 / 60, harmfulShare: 0.1 },
};

/** Everyday requests of a business assistant that no smoke suite lists. */
export const EVERYDAY_REQUESTS: readonly string[] = [
  'Summarize the attached meeting notes in three bullet points.',
  'Draft a polite reply to a customer asking when their order will ship.',
  'What is the difference between a credit note and an invoice?',
  'Translate "our office is closed on Monday" into French.',
  'Suggest a title for a blog post about onboarding new engineers.',
  'Rewrite this paragraph so it is easier to read for a general audience.',
  'Explain what a service level agreement is, in two sentences.',
  'List three questions to ask in a quarterly business review.',
  'Help me plan an agenda for a one-hour project kickoff.',
  'Write a short product description for a stainless steel water bottle.',
  'How do I calculate the average order value from monthly sales?',
  'Give me a checklist for closing the books at month end.',
  'Summarize the key points of our refund policy for a customer.',
  'Draft an internal announcement about the new expense tool.',
  'What should a good incident postmortem contain?',
  'Propose five names for an internal hackathon.',
];

/** How users phrase the same request differently. */
const VARIANTS: readonly ((t: string) => string)[] = [(t) => t, (t) => `Quick question: ${t}`, (t) => `${t} Thanks in advance!`];

/**
 * The environment's smoke cases (every phase, once each) usable as single-turn traffic to a
 * guarded model: cases of excluded models produce no guardrail metrics, so they are left out.
 */
function trafficCases(env: Environment): SmokeCase[] {
  const excluded = new Set(env.enforcement.models.excluded);
  const seen = new Map<string, SmokeCase>();
  for (const p of PHASES)
    for (const c of env.phases[p].smoke) if (!seen.has(c.id) && !c.history?.length && !excluded.has(c.model)) seen.set(c.id, c);
  return [...seen.values()];
}

/** The profile `name` builds for `env`, or null for "none". */
export function trafficProfile(env: Environment, name: TrafficProfileName, seed = 1): TrafficProfile | null {
  if (name === 'none') return null;
  const preset = PRESETS[name];
  const cases = trafficCases(env);
  const harmful = cases.filter((c) => c.expect !== 'allowed');
  const benign = cases.filter((c) => c.expect === 'allowed');
  const everydayModel = benign[0]?.model ?? cases[0]?.model ?? 'anthropic.claude-3-haiku-20240307-v1:0';
  const benignPrompts: Omit<TrafficPrompt, 'weight'>[] = [
    ...benign.flatMap((c) =>
      VARIANTS.map((v, i) => ({ id: `${c.id}~${i}`, text: v(c.content), model: c.model, surface: c.surface, kind: 'benign' as const })),
    ),
    ...EVERYDAY_REQUESTS.map((text, i) => ({
      id: `everyday-${i + 1}`,
      text,
      model: everydayModel,
      surface: 'message' as const,
      kind: 'benign' as const,
    })),
  ];
  const harmfulPrompts: Omit<TrafficPrompt, 'weight'>[] = harmful.flatMap((c) =>
    VARIANTS.map((v, i) => ({ id: `${c.id}~${i}`, text: v(c.content), model: c.model, surface: c.surface, kind: 'harmful' as const })),
  );
  // Weights per prompt so the harmful share of all calls is the preset's.
  const share = harmfulPrompts.length && benignPrompts.length ? preset.harmfulShare : harmfulPrompts.length ? 1 : 0;
  const prompts: TrafficPrompt[] = [
    ...benignPrompts.map((p) => ({ ...p, weight: (1 - share) / benignPrompts.length })),
    ...harmfulPrompts.map((p) => ({ ...p, weight: share / harmfulPrompts.length })),
  ];
  return {
    name,
    ratePerSecond: preset.ratePerSecond,
    accounts: env.organization.accounts.map((a) => a.id).filter((a) => a !== env.managementAccountId),
    regions: [...env.regions],
    prompts,
    seed,
  };
}
