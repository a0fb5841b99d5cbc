/**
 * Account-level enforced guardrail configuration: one per account and region (a singleton —
 * two stacks defining it for the same account/region silently overwrite each other).
 * Props use the Bedrock API spelling of `guardrailInferenceConfig` (upper-case modes), i.e.
 * what `accountEnforcementConfig(env)` returns plus the guardrail identifier and version.
 * https://docs.aws.amazon.com/bedrock/latest/APIReference/API_PutEnforcedGuardrailConfiguration.html
 */
import { Construct } from 'constructs';
import type { TerraformProvider } from 'cdktf';
import { BedrockEnforcedGuardrailConfiguration, type ApiGuardingMode } from '../bindings/enforced-guardrail-configuration.js';
import { isDeferred, PATTERNS, PropChecker } from '../props.js';

const MODES: readonly ApiGuardingMode[] = ['COMPREHENSIVE', 'SELECTIVE'];

export interface AccountEnforcementProps {
  /** Guardrail id or unversioned ARN in the same account and region. */
  readonly guardrailIdentifier: string;
  /** Numeric published version (never DRAFT). */
  readonly guardrailVersion: string;
  /** Default (omitted): the service default, comprehensive for both. */
  readonly selectiveContentGuarding?: { readonly system?: ApiGuardingMode; readonly messages?: ApiGuardingMode };
  /** Default (omitted): every model. Exclusion wins over inclusion. */
  readonly modelEnforcement?: { readonly includedModels: readonly string[]; readonly excludedModels: readonly string[] };
  readonly provider?: TerraformProvider;
  readonly resourceName?: string;
}

export class AccountEnforcement extends Construct {
  readonly resource: BedrockEnforcedGuardrailConfiguration;

  constructor(scope: Construct, id: string, props: AccountEnforcementProps) {
    super(scope, id);
    const check: PropChecker = new PropChecker('AccountEnforcement', scope, id);
    const ident = props.guardrailIdentifier;
    check.string('guardrailIdentifier', ident, { max: 2048 });
    if (!isDeferred(ident) && !PATTERNS.guardrailArn.test(ident) && !PATTERNS.guardrailId.test(ident)) {
      check.fail('guardrailIdentifier', `must be a guardrail id or an unversioned guardrail ARN (got ${JSON.stringify(ident)})`);
    }
    check.string('guardrailVersion', props.guardrailVersion, {
      pattern: PATTERNS.guardrailVersion,
      patternText: 'a numeric published version such as "3" (DRAFT cannot be enforced)',
    });

    const scg = props.selectiveContentGuarding;
    if (scg !== undefined) {
      if (scg.system === undefined && scg.messages === undefined)
        check.fail('selectiveContentGuarding', 'must set system and/or messages when present');
      if (scg.system !== undefined) check.oneOf('selectiveContentGuarding.system', scg.system, MODES);
      if (scg.messages !== undefined) check.oneOf('selectiveContentGuarding.messages', scg.messages, MODES);
    }
    const me = props.modelEnforcement;
    if (me !== undefined) {
      check.array('modelEnforcement.includedModels', me.includedModels, { min: 1 });
      check.array('modelEnforcement.excludedModels', me.excludedModels);
      me.includedModels.forEach((m, i) => {
        if (m !== 'ALL' && !PATTERNS.modelId.test(m))
          check.fail(`modelEnforcement.includedModels[${i}]`, `must be "ALL" or a Bedrock model id (got ${JSON.stringify(m)})`);
      });
      me.excludedModels.forEach((m, i) => {
        if (!PATTERNS.modelId.test(m))
          check.fail(`modelEnforcement.excludedModels[${i}]`, `must be a Bedrock model id (got ${JSON.stringify(m)})`);
      });
    }

    this.resource = new BedrockEnforcedGuardrailConfiguration(this, 'config', {
      guardrailIdentifier: ident,
      guardrailVersion: props.guardrailVersion,
      selectiveContentGuarding: scg ? { system: scg.system, messages: scg.messages } : undefined,
      modelEnforcement: me ? { includedModels: [...me.includedModels], excludedModels: [...me.excludedModels] } : undefined,
      provider: props.provider,
    });
    if (props.resourceName) this.resource.overrideLogicalId(props.resourceName);
  }

  get configId(): string {
    return this.resource.configId;
  }
}
