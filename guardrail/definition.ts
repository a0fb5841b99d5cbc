/**
 * `GuardrailDefinition`: the builder of one Amazon Bedrock guardrail as code. It validates each
 * part as it is added (the normalisers of `validate.ts`), assembles the ONE canonical,
 * fully-defaulted spec (`GuardrailSpec`, `spec.ts`) that the cdktf construct, the sandbox, the
 * gates and the content hash consume, and checks the whole-spec rules when the spec is built.
 *
 * PURE: no cdktf, no AWS SDK, no I/O.
 *
 * A release file exports `default` a GuardrailDefinition (import from `guardrail/index.ts`):
 *
 *   export default new GuardrailDefinition({ name: 'org-baseline', blockedInputMessaging: '…', … })
 *     .addContentFilter({ type: ContentFilterType.VIOLENCE, inputStrength: 'HIGH', outputStrength: 'HIGH' })
 *     .addDeniedTopicFilter(Topic.custom({ name: 'Weapons', definition: '…' }));
 *
 * Limits and enums: https://docs.aws.amazon.com/bedrock/latest/APIReference/API_CreateGuardrail.html
 */
import { ContentFilterType, GroundingFilterType, LIMITS } from './catalog.js';
import type {
  ContentFilterProps,
  GroundingFilterProps,
  GuardrailProps,
  ManagedWordListProps,
  PiiEntityProps,
  RegexProps,
  TopicProps,
  WordProps,
} from './props.js';
import type {
  ContentFilterSpec,
  GroundingFilterSpec,
  GuardrailSpec,
  ManagedWordListSpec,
  PiiEntitySpec,
  RegexSpec,
  TopicSpec,
  WordSpec,
} from './spec.js';
import { GuardrailDefinitionError } from './errors.js';
import { Topic } from './topics.js';
import {
  checkSpec,
  fail,
  type GuardrailSettings,
  list,
  normContentFilter,
  normGroundingFilter,
  normManagedWordList,
  normPiiEntity,
  normRegex,
  normSettings,
  normTopic,
  normWord,
} from './validate.js';
import { PII_ENTITY_TYPES } from '../core/bedrock-guardrail-enums.js';

/**
 * One Bedrock guardrail as code. Every `add*` validates immediately and throws
 * GuardrailDefinitionError with the path of the offending field. `freeze()` (called by the
 * environment loader when the definition becomes a release) makes further changes an error.
 */
export class GuardrailDefinition {
  readonly name: string;
  private readonly settings: GuardrailSettings;
  private readonly contentFilters: ContentFilterSpec[] = [];
  private readonly topics: TopicSpec[] = [];
  private readonly piiEntities: PiiEntitySpec[] = [];
  private readonly regexes: RegexSpec[] = [];
  private readonly words: WordSpec[] = [];
  private readonly managedWordLists: ManagedWordListSpec[] = [];
  private readonly contextualGrounding: GroundingFilterSpec[] = [];
  private frozen = false;

  constructor(props: GuardrailProps) {
    this.settings = normSettings(props);
    this.name = this.settings.name;
    list(props.contentFilters, 'contentFilters').forEach((f) => {
      this.addContentFilter(f);
    });
    list(props.topics, 'topics').forEach((t) => {
      this.addDeniedTopicFilter(t);
    });
    list(props.piiEntities, 'piiEntities').forEach((e) => {
      this.addPIIFilter(e);
    });
    list(props.regexes, 'regexes').forEach((r) => {
      this.addRegexFilter(r);
    });
    list(props.words, 'words').forEach((w) => {
      this.addWordFilter(w);
    });
    list(props.managedWordLists, 'managedWordLists').forEach((m) => {
      this.addManagedWordListFilter(m);
    });
    list(props.contextualGrounding, 'contextualGrounding').forEach((g) => {
      this.addContextualGroundingFilter(g);
    });
  }

  /** Validates a plain object (e.g. parsed JSON/YAML, or a GuardrailSpec) as a definition. */
  static fromPlain(value: unknown, file?: string): GuardrailDefinition {
    try {
      return new GuardrailDefinition(value as GuardrailProps);
    } catch (e) {
      if (e instanceof GuardrailDefinitionError && file) throw new GuardrailDefinitionError(e.path ?? '', e.expected, file);
      throw e;
    }
  }

  private mutable(): void {
    if (this.frozen)
      fail('', `guardrail definition "${this.name}" is frozen (it is a release); create a new release instead of changing it`);
  }

  /** Makes the definition immutable (releases are). Returns `this`. */
  freeze(): this {
    this.frozen = true;
    return this;
  }
  get isFrozen(): boolean {
    return this.frozen;
  }

  addContentFilter(filter: ContentFilterProps): this {
    this.mutable();
    const path = `contentFilters[${this.contentFilters.length}]`;
    const spec = normContentFilter(filter, path);
    if (this.contentFilters.some((f) => f.type === spec.type))
      fail(`${path}.type`, `expected each content filter type once; ${spec.type} is already configured`);
    if (this.contentFilters.length >= LIMITS.contentFiltersMax) fail(path, `expected at most ${LIMITS.contentFiltersMax} content filters`);
    this.contentFilters.push(spec);
    return this;
  }

  addDeniedTopicFilter(topic: Topic | TopicProps): this {
    this.mutable();
    const path = `topics[${this.topics.length}]`;
    if (this.topics.length >= LIMITS.topicsMax) fail(path, `expected at most ${LIMITS.topicsMax} denied topics`);
    const spec = normTopic(topic instanceof Topic ? topic.props : topic, path);
    if (this.topics.some((t) => t.name.toLowerCase() === spec.name.toLowerCase()))
      fail(`${path}.name`, `expected a unique topic name; "${spec.name}" is already defined`);
    this.topics.push(spec);
    return this;
  }

  addPIIFilter(entity: PiiEntityProps): this {
    this.mutable();
    const path = `piiEntities[${this.piiEntities.length}]`;
    const spec = normPiiEntity(entity, path);
    if (this.piiEntities.some((e) => e.type === spec.type))
      fail(`${path}.type`, `expected each PII entity type once; ${spec.type} is already configured`);
    this.piiEntities.push(spec);
    return this;
  }

  addRegexFilter(regex: RegexProps): this {
    this.mutable();
    const path = `regexes[${this.regexes.length}]`;
    if (this.regexes.length >= LIMITS.regexesMax) fail(path, `expected at most ${LIMITS.regexesMax} regex filters`);
    const spec = normRegex(regex, path);
    if (this.regexes.some((r) => r.name === spec.name))
      fail(`${path}.name`, `expected a unique regex name; "${spec.name}" is already defined`);
    this.regexes.push(spec);
    return this;
  }

  /** Adds one word/phrase (a string uses the defaults: block on input and output). */
  addWordFilter(word: string | WordProps): this {
    this.mutable();
    const path = `words[${this.words.length}]`;
    if (this.words.length >= LIMITS.wordsMax) fail(path, `expected at most ${LIMITS.wordsMax} words`);
    const spec = normWord(word, path);
    if (this.words.some((w) => w.text.toLowerCase() === spec.text.toLowerCase()))
      fail(path, `expected unique words; "${spec.text}" is already listed`);
    this.words.push(spec);
    return this;
  }

  addManagedWordListFilter(managed: ManagedWordListProps = {}): this {
    this.mutable();
    const path = `managedWordLists[${this.managedWordLists.length}]`;
    const spec = normManagedWordList(managed, path);
    if (this.managedWordLists.some((m) => m.type === spec.type))
      fail(`${path}.type`, `expected each managed word list once; ${spec.type} is already configured`);
    this.managedWordLists.push(spec);
    return this;
  }

  addContextualGroundingFilter(filter: GroundingFilterProps): this {
    this.mutable();
    const path = `contextualGrounding[${this.contextualGrounding.length}]`;
    const spec = normGroundingFilter(filter, path);
    if (this.contextualGrounding.some((g) => g.type === spec.type))
      fail(`${path}.type`, `expected each grounding filter type once; ${spec.type} is already configured`);
    this.contextualGrounding.push(spec);
    return this;
  }

  /** True when Automated Reasoning is configured: such a guardrail cannot be enforced org-wide. */
  get hasAutomatedReasoning(): boolean {
    return this.settings.automatedReasoning !== null;
  }

  /**
   * The canonical, fully-defaulted spec. Cross-field rules that need the whole definition
   * are checked here (at least one policy, tier limits, STANDARD needs cross-Region).
   */
  toSpec(): GuardrailSpec {
    const s = this.settings;
    const spec: GuardrailSpec = {
      name: s.name,
      description: s.description,
      blockedInputMessaging: s.blockedInputMessaging,
      blockedOutputsMessaging: s.blockedOutputsMessaging,
      contentTier: s.contentTier,
      contentFilters: clone(this.contentFilters).sort(byOrder(CONTENT_TYPES)),
      topicTier: s.topicTier,
      topics: clone(this.topics),
      piiEntities: clone(this.piiEntities).sort(byOrder(PII_ENTITY_TYPES)),
      regexes: clone(this.regexes),
      words: clone(this.words),
      managedWordLists: clone(this.managedWordLists),
      contextualGrounding: clone(this.contextualGrounding).sort(byOrder(GROUNDING_TYPES)),
      kmsKeyArn: s.kmsKeyArn,
      crossRegion: s.crossRegion ? { ...s.crossRegion } : null,
      automatedReasoning: s.automatedReasoning ? clone(s.automatedReasoning) : null,
    };
    checkSpec(spec);
    return spec;
  }

  toJSON(): GuardrailSpec {
    return this.toSpec();
  }
}

const clone = <T>(v: T): T => structuredClone(v);

/** Set-like lists are sorted by type in the catalog's order, so the spec (and hash) ignore author order. */
const byOrder =
  <T extends { type: string }>(order: readonly string[]) =>
  (a: T, b: T) =>
    order.indexOf(a.type) - order.indexOf(b.type);
const CONTENT_TYPES = Object.values(ContentFilterType);
const GROUNDING_TYPES = Object.values(GroundingFilterType);

/** True if the spec/definition carries Automated Reasoning (refused for enforcement). */
export function hasAutomatedReasoning(d: GuardrailSpec | GuardrailDefinition): boolean {
  return d instanceof GuardrailDefinition ? d.hasAutomatedReasoning : d.automatedReasoning !== null;
}

/** Duck-typed check that survives duplicate module instances (tsx vs jest registries). */
export function isGuardrailDefinition(v: unknown): v is GuardrailDefinition {
  return (
    !!v &&
    typeof v === 'object' &&
    typeof (v as GuardrailDefinition).toSpec === 'function' &&
    typeof (v as GuardrailDefinition).addContentFilter === 'function'
  );
}
