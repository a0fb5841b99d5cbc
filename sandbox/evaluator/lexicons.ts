/**
 * Per-category lexicons for the content-filter heuristic. Each term carries a severity weight
 * (1 mild … 4 flagrant); a category's confidence is derived from the summed weight of its hits
 * (see content.ts). These lists are deliberately small and descriptive: they approximate the
 * categories Bedrock's classifiers score, they are not a moderation product. Profanity is NOT
 * here — the PROFANITY managed word list uses the maintained `obscenity` dataset.
 */
export type Category = 'SEXUAL' | 'VIOLENCE' | 'HATE' | 'INSULTS' | 'MISCONDUCT';

export const CATEGORY_LEXICON: Record<Category, Record<string, number>> = {
  VIOLENCE: {
    'kill': 2, 'killing': 2, 'murder': 3, 'murdering': 3, 'stab': 2, 'stabbing': 2, 'shoot': 2, 'shooting': 2,
    'behead': 4, 'torture': 3, 'massacre': 4, 'slaughter': 3, 'bomb': 2, 'explosive': 2, 'grenade': 2,
    'assault': 2, 'beat up': 2, 'strangle': 3, 'maim': 3, 'mass shooting': 4, 'blow up': 3, 'gun': 1,
    'weapon': 1, 'blood': 1, 'bloody': 1, 'attack': 1, 'hurt': 1, 'kill them all': 4, 'terrorist attack': 4,
    'dismember': 4, 'execute': 1, 'hostage': 2, 'violent': 1, 'violence': 1,
  },
  HATE: {
    'subhuman': 4, 'inferior race': 4, 'ethnic cleansing': 4, 'racial purity': 4, 'white power': 4,
    'go back to your country': 3, 'hate all': 3, 'should be exterminated': 4, 'vermin': 2, 'genocide': 3,
    'master race': 4, 'bigot': 1, 'racist': 1, 'supremacist': 3, 'do not deserve rights': 3, 'hate them': 2,
  },
  INSULTS: {
    'idiot': 2, 'stupid': 1, 'moron': 2, 'imbecile': 2, 'loser': 2, 'dumb': 1, 'pathetic': 1, 'worthless': 2,
    'useless': 1, 'shut up': 1, 'ugly': 1, 'fat pig': 3, 'clown': 1, 'incompetent': 1, 'disgusting': 1,
    'you are garbage': 3, 'piece of trash': 3, 'nobody likes you': 2, 'brainless': 2,
  },
  SEXUAL: {
    'sex': 1, 'sexual': 1, 'porn': 3, 'pornography': 3, 'pornographic': 3, 'nude': 2, 'naked': 2, 'erotic': 2,
    'orgasm': 3, 'explicit sex': 4, 'sexual intercourse': 3, 'genitals': 3, 'strip tease': 2, 'fetish': 2,
    'nsfw': 2, 'hardcore': 1, 'sext': 2, 'escort service': 2,
  },
  MISCONDUCT: {
    'steal': 2, 'shoplift': 2, 'launder money': 3, 'money laundering': 3, 'counterfeit': 2, 'fraud': 2,
    'bribe': 2, 'hack into': 3, 'phishing': 2, 'ransomware': 3, 'malware': 2, 'make meth': 4,
    'synthesize drugs': 4, 'evade taxes': 3, 'tax evasion': 3, 'forge documents': 3, 'identity theft': 3,
    'pick a lock': 1, 'smuggle': 2, 'without getting caught': 2, 'untraceable': 2, 'poison': 2,
    'insider trading': 3, 'embezzle': 3, 'crack passwords': 2, 'bypass security': 2,
  },
};

/** Jailbreak / prompt-injection phrases (regex sources), with weights like the lexicons above. */
export const PROMPT_ATTACK_PATTERNS: [string, number][] = [
  ['ignore (?:all |any )?(?:of )?(?:the |your |my )?(?:previous|prior|above|earlier|preceding) (?:instructions|prompts?|rules|directions)', 4],
  ['disregard (?:all |any )?(?:the |your )?(?:previous |prior |above )?(?:system prompt|instructions|rules|guidelines)', 4],
  ['forget (?:all |everything |your )?(?:previous |prior )?(?:instructions|rules|you were told)', 4],
  ['you are now (?:dan|an? unrestricted|jailbroken|in developer mode|free of)', 4],
  ['\\bdo anything now\\b', 4],
  ['\\bdan mode\\b', 4],
  ['developer mode (?:enabled|on)', 3],
  ['jailbreak', 3],
  ['pretend (?:that )?you (?:have no|are not bound by|don\'t have) (?:restrictions|rules|guidelines|filters)', 4],
  ['(?:reveal|print|show|output|repeat) (?:me )?(?:your |the )?(?:system prompt|hidden instructions|initial instructions)', 3],
  ['override (?:your |the )?(?:safety|system|content) (?:settings|instructions|policy|filters)', 3],
  ['act as (?:an? )?(?:unfiltered|unrestricted|uncensored)', 3],
  ['without any (?:restrictions|filters|censorship)', 2],
  ['new instructions:', 2],
  ['bypass (?:your |the )?(?:guardrails?|filters?|restrictions)', 3],
];

/**
 * Instruction cues used by the long-system-prompt heuristic (failure story 3): real Bedrock's
 * prompt-attack classifier flags very long, instruction-dense system prompts as injections.
 */
export const INSTRUCTION_CUES = /\b(?:you must|you should|you are|always|never|do not|don't|ignore|follow|respond|instructions?|rules?|must not|only|override|system|tool|schema|assistant)\b/gi;
