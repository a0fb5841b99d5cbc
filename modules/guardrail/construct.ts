/**
 * `Guardrail`: one Amazon Bedrock guardrail (`aws_bedrock_guardrail`) built from a
 * GuardrailDefinition (or its canonical GuardrailSpec), and `publishRelease()` to freeze it as
 * a numbered version (`aws_bedrock_guardrail_version`, skip_destroy) whose description names
 * the release and its content hash.
 *
 * Every field of the spec is mapped, through the one mapping of guardrail/wire.ts (spec →
 * CreateGuardrail input → `aws_bedrock_guardrail` blocks). The prebuilt bindings (hashicorp/aws
 * 6.25.0 schema) keep only the fields their schema has, so they drop per-topic input/output
 * action/enabled and per-grounding-filter action/enabled; `addUnmodelledAttributes` writes those
 * as raw attributes ONLY when they differ from the API default (BLOCK / enabled), so a
 * definition that uses them fails loudly on a provider that cannot express them instead of
 * being silently weakened (docs/stacks.md).
 */
import { Construct } from 'constructs';
import type { TerraformProvider } from 'cdktf';
import { BedrockGuardrail, type BedrockGuardrailConfig } from '@cdktf/provider-aws/lib/bedrock-guardrail/index.js';
import { BedrockGuardrailVersion } from '@cdktf/provider-aws/lib/bedrock-guardrail-version/index.js';
import { isGuardrailDefinition, type GuardrailDefinition } from '../../guardrail/definition.js';
import type { GuardrailSpec } from '../../guardrail/spec.js';
import { toBedrockApiInput, toTerraformBlocks } from '../../guardrail/wire.js';
import { PropChecker } from '../props.js';
import { slug } from '../naming.js';
import { versionDescription } from '../../core/naming.js';

export interface GuardrailProps {
  /** The guardrail as code. */
  readonly definition: GuardrailDefinition | GuardrailSpec;
  /** Bedrock guardrail name; default the definition's name. */
  readonly name?: string;
  readonly provider?: TerraformProvider;
  /** Region the provider deploys to; when given, a KMS key from another region is refused. */
  readonly region?: string;
  /** Terraform logical name of the guardrail resource; default derived from the construct path. */
  readonly resourceName?: string;
  readonly tags?: Record<string, string>;
}

/** What a published version needs to know about a release. */
export interface ReleaseRef {
  readonly name: string;
  /** sha256 hex of the canonical definition. */
  readonly contentHash: string;
}

export interface PublishOptions {
  /** Terraform logical name of the version resource; default `release_<release slug>`. */
  readonly resourceName?: string;
}

const VERSION_DESCRIPTION_MAX = 200;

export class Guardrail extends Construct {
  readonly resource: BedrockGuardrail;
  readonly spec: GuardrailSpec;
  private readonly provider?: TerraformProvider;
  private readonly versions = new Map<string, BedrockGuardrailVersion>();

  constructor(scope: Construct, id: string, props: GuardrailProps) {
    super(scope, id);
    const check: PropChecker = new PropChecker('Guardrail', scope, id);
    check.defined('definition', props.definition);
    const spec = isGuardrailDefinition(props.definition) ? props.definition.toSpec() : props.definition;
    if (!spec || typeof spec !== 'object' || !Array.isArray((spec as GuardrailSpec).contentFilters)) {
      check.fail('definition', 'must be a GuardrailDefinition or the GuardrailSpec from definition.toSpec()');
    }
    const name = props.name ?? spec.name;
    check.string('name', name, { max: 50, pattern: /^[0-9a-zA-Z_-]+$/, patternText: '1–50 letters, digits, "-" or "_"' });
    if (spec.automatedReasoning) {
      // hashicorp/aws has no automated_reasoning_policy_config; enforcement refuses AR anyway.
      check.fail(
        'definition',
        `guardrail "${spec.name}" carries an Automated Reasoning policy, which aws_bedrock_guardrail cannot express and which enforcement does not support (https://docs.aws.amazon.com/bedrock/latest/userguide/guardrails-enforcements.html)`,
      );
    }
    if (props.region !== undefined && spec.kmsKeyArn) {
      // KMS keys are regional: a guardrail can only use a key of its own region.
      const keyRegion = spec.kmsKeyArn.split(':')[3];
      if (keyRegion && keyRegion !== props.region) {
        check.fail(
          'definition',
          `kmsKeyArn is a key in ${keyRegion}, but this guardrail is deployed to ${props.region}; KMS keys are regional (https://docs.aws.amazon.com/kms/latest/developerguide/overview.html)`,
        );
      }
    }
    if (props.tags) {
      for (const [k, v] of Object.entries(props.tags)) {
        check.string(`tags.${k}`, v, { min: 0, max: 256 });
      }
    }
    this.spec = spec;
    this.provider = props.provider;
    this.resource = new BedrockGuardrail(this, 'guardrail', { ...guardrailConfig(spec, name), provider: props.provider, tags: props.tags });
    if (props.resourceName) this.resource.overrideLogicalId(props.resourceName);
    addUnmodelledAttributes(this.resource, spec);
  }

  /** Unversioned guardrail ARN (token). */
  get guardrailArn(): string {
    return this.resource.guardrailArn;
  }
  get guardrailId(): string {
    return this.resource.guardrailId;
  }

  /**
   * Publishes the guardrail's current configuration as a numbered version for `release`.
   * skip_destroy keeps the version in AWS when the resource leaves the configuration, so a
   * version still referenced by an organization policy is never deleted mid-rollout.
   * Publishing the same release twice returns the existing version resource.
   */
  publishRelease(release: ReleaseRef, opts: PublishOptions = {}): BedrockGuardrailVersion {
    const existing = this.versions.get(release.name);
    if (existing) return existing;
    const check: PropChecker = new PropChecker('Guardrail.publishRelease', this, 'release');
    check.string('name', release.name);
    check.string('contentHash', release.contentHash, {
      pattern: /^[0-9a-f]{64}$/,
      patternText: 'a sha256 hex digest (64 lower-case hex digits)',
    });
    const description = versionDescription(release);
    if (description.length > VERSION_DESCRIPTION_MAX) {
      check.fail(
        'name',
        `is too long: the version description "${description.slice(0, 40)}…" would exceed ${VERSION_DESCRIPTION_MAX} characters`,
      );
    }
    const version = new BedrockGuardrailVersion(this, `version-${slug(release.name)}`, {
      guardrailArn: this.resource.guardrailArn,
      description,
      skipDestroy: true,
      provider: this.provider,
    });
    version.overrideLogicalId(opts.resourceName ?? `release_${slug(release.name)}`);
    this.versions.set(release.name, version);
    return version;
  }
}

/**
 * Spec → provider config: the CreateGuardrail input of wire.ts in block form (empty policies
 * omitted). Fields the 6.25.0 bindings lack are dropped by them; see addUnmodelledAttributes.
 */
export function guardrailConfig(spec: GuardrailSpec, name: string = spec.name): BedrockGuardrailConfig {
  return { ...toTerraformBlocks(toBedrockApiInput(spec)), name };
}

/** Attributes newer than the prebuilt schema, written only where they differ from the API default. */
function addUnmodelledAttributes(resource: BedrockGuardrail, spec: GuardrailSpec): void {
  spec.topics.forEach((t, i) => {
    const base = `topic_policy_config.0.topics_config.${i}`;
    if (t.inputAction !== 'BLOCK') resource.addOverride(`${base}.input_action`, t.inputAction);
    if (t.outputAction !== 'BLOCK') resource.addOverride(`${base}.output_action`, t.outputAction);
    if (!t.inputEnabled) resource.addOverride(`${base}.input_enabled`, false);
    if (!t.outputEnabled) resource.addOverride(`${base}.output_enabled`, false);
  });
  spec.contextualGrounding.forEach((g, i) => {
    const base = `contextual_grounding_policy_config.0.filters_config.${i}`;
    if (g.action !== 'BLOCK') resource.addOverride(`${base}.action`, g.action);
    if (!g.enabled) resource.addOverride(`${base}.enabled`, false);
  });
}
