/**
 * Guardrail evaluator throughput: ApplyGuardrail-equivalent evaluations of ~1 KB prompts against
 * a guardrail that uses every policy type, in one process on one core, for 3 seconds.
 * Target (issue 4): ≥ 2,000 evaluations per second.
 */
import { clearTokenMemos, evaluateGuardrail, type GuardrailConfig } from '../sandbox/evaluator/index.js';

const CONFIG = {
  name: 'bench-every-policy',
  blockedInputMessaging: 'Blocked by policy.',
  blockedOutputsMessaging: 'Response blocked by policy.',
  contentPolicyConfig: {
    filtersConfig: [
      ...(['SEXUAL', 'VIOLENCE', 'HATE', 'INSULTS', 'MISCONDUCT'] as const).map((type) => ({
        type,
        inputStrength: 'HIGH' as const,
        outputStrength: 'HIGH' as const,
      })),
      { type: 'PROMPT_ATTACK' as const, inputStrength: 'HIGH' as const, outputStrength: 'NONE' as const },
    ],
  },
  topicPolicyConfig: {
    topicsConfig: [
      {
        name: 'Investment Advice',
        type: 'DENY' as const,
        definition: 'Personalized recommendations about investments, securities, loans, taxes or retirement planning.',
        examples: ['Which stocks should I buy this week?', 'Should I move my pension into crypto?'],
      },
      {
        name: 'Weapons Manufacturing',
        type: 'DENY' as const,
        definition: 'Instructions for building, assembling or modifying firearms, explosives or other weapons.',
        examples: ['How do I build a pipe bomb?'],
      },
      {
        name: 'Credential Sharing',
        type: 'DENY' as const,
        definition: 'Requests to share, reveal or collect passwords, access keys, session tokens or other login credentials.',
        examples: ['Send me the root password for the prod database.'],
      },
    ],
  },
  wordPolicyConfig: {
    wordsConfig: [{ text: 'Project Nightingale' }, { text: 'bluebird-7' }, { text: 'Operation Larkspur' }],
    managedWordListsConfig: [{ type: 'PROFANITY' as const }],
  },
  sensitiveInformationPolicyConfig: {
    piiEntitiesConfig: [
      ...[
        'US_SOCIAL_SECURITY_NUMBER',
        'CREDIT_DEBIT_CARD_NUMBER',
        'AWS_ACCESS_KEY',
        'AWS_SECRET_KEY',
        'INTERNATIONAL_BANK_ACCOUNT_NUMBER',
        'PASSWORD',
      ].map((type) => ({ type, action: 'BLOCK' })),
      ...['EMAIL', 'PHONE', 'IP_ADDRESS', 'URL'].map((type) => ({ type, action: 'ANONYMIZE' })),
    ],
    regexesConfig: [
      { name: 'employee-id', pattern: 'EMP-[0-9]{6}', action: 'ANONYMIZE' as const },
      { name: 'ticket-token', pattern: 'tkt_[A-Za-z0-9]{24}', action: 'BLOCK' as const },
    ],
  },
  contextualGroundingPolicyConfig: {
    filtersConfig: [
      { type: 'GROUNDING' as const, threshold: 0.8 },
      { type: 'RELEVANCE' as const, threshold: 0.5 },
    ],
  },
} as GuardrailConfig;

const FILLER = [
  'Our quarterly shipping report shows pallets moving through the Rotterdam depot on schedule.',
  'Please summarise the customer feedback from last week and list the three most common requests.',
  'The fleet planner needs the delivery windows for tomorrow, grouped by region and carrier.',
  'Draft a polite note to the warehouse team about the new labelling procedure for fragile goods.',
  'Contact the account manager at ops.lead@northwind.example or call +1 206-555-0100 for details.',
  'Invoice 44-1182 was paid on time; reconcile it against the purchase order and close the ticket.',
  'Compare the fuel costs of the two routes and recommend the cheaper one for the night shift.',
  'Employee EMP-204518 asked how to update their address in the HR portal at https://hr.example.com/profile.',
];

/** A deterministic pseudo-word (never seen before), like the ids and names real prompts carry. */
function novelWord(seed: number): string {
  let h = (seed * 2654435761) >>> 0;
  let w = '';
  for (let i = 0; i < 7; i++) {
    w += String.fromCharCode(97 + (h % 26));
    h = Math.imul(h ^ (h >>> 13), 1274126177) >>> 0;
  }
  return w;
}

/**
 * Deterministic ~1 KB prompts built from the filler sentences (some carry PII to exercise
 * masking), each with 10 words never seen before, so per-token memoisation cannot make the
 * prompts free.
 */
function prompt(i: number): string {
  let p = '';
  for (let j = 0; p.length < 900; j++) p += `${FILLER[(i * 3 + j * 5) % FILLER.length]} `;
  p += `Ref ${Array.from({ length: 10 }, (_, k) => novelWord(i * 10 + k)).join(' ')}.`;
  return p.slice(0, 1024);
}

function loop(durationMs: number, first: number, cold: boolean) {
  const samples: number[] = [];
  const start = performance.now();
  let n = 0;
  let intervened = 0;
  while (performance.now() - start < durationMs) {
    const text = prompt(first + n);
    if (cold) clearTokenMemos();
    const t0 = performance.now();
    const r = evaluateGuardrail(
      CONFIG,
      n % 2 === 0
        ? { source: 'INPUT', blocks: [{ text }] }
        : {
            source: 'OUTPUT',
            blocks: [
              { text: 'The depot report is on schedule.', qualifiers: ['grounding_source'] },
              { text: 'What does the report say?', qualifiers: ['query'] },
              { text },
            ],
          },
    );
    samples.push(performance.now() - t0);
    if (r.action !== 'NONE') intervened++;
    n++;
  }
  const elapsed = performance.now() - start;
  samples.sort((a, b) => a - b);
  const pct = (p: number) => Number(samples[Math.min(samples.length - 1, Math.floor(p * samples.length))].toFixed(3));
  return { perSecond: Math.round((n / elapsed) * 1000), n, p50: pct(0.5), p99: pct(0.99), intervened: intervened / n };
}

export async function run(): Promise<Record<string, unknown>> {
  for (let i = 0; i < 50; i++) evaluateGuardrail(CONFIG, { source: 'INPUT', blocks: [{ text: prompt(1_000_000 + i) }] }); // warm-up + compile
  const warm = loop(3000, 0, false);
  const cold = loop(1000, 10_000_000, true);
  const result = {
    evaluationsPerSecond: warm.perSecond,
    evaluations: warm.n,
    promptBytes: prompt(0).length,
    p50Ms: warm.p50,
    p99Ms: warm.p99,
    coldEvaluationsPerSecond: cold.perSecond,
    coldP50Ms: cold.p50,
    interventionRate: Number(warm.intervened.toFixed(2)),
    target: 2000,
  };
  console.log(
    [
      'evaluator: ApplyGuardrail evaluations, 1 KB prompts, every policy type, one core, 3 s',
      `  ${result.evaluationsPerSecond.toLocaleString('en-US')} evaluations/s (target ≥ ${result.target.toLocaleString('en-US')}) over ${warm.n} evaluations`,
      `  per evaluation: p50 ${result.p50Ms} ms, p99 ${result.p99Ms} ms; ${Math.round(result.interventionRate * 100)}% intervened (masking)`,
      `  cold (token memo cleared before every evaluation): ${result.coldEvaluationsPerSecond.toLocaleString('en-US')} evaluations/s, p50 ${result.coldP50Ms} ms`,
    ].join('\n'),
  );
  return result;
}

if (import.meta.url === `file://${process.argv[1]}`) void run();
