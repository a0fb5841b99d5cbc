/**
 * `TeamAdditionEnforcement`: one region of a team addition — the team's guardrail, a published
 * version, and the account-level enforced configuration naming that version. The same
 * constructs the pilot stack uses (Guardrail, AccountEnforcement); nothing at the organization
 * level, so an addition adds a layer and can never change the baseline's.
 */
import { Construct } from 'constructs';
import { AccountEnforcement } from '../enforcement/account.js';
import { refuseAutomatedReasoning } from '../enforcement/refusal.js';
import { Guardrail } from '../guardrail/construct.js';
import { PropChecker } from '../props.js';
import { type TeamAdditionProps, teamResourceNames, teamVersionName } from './props.js';

const ADDITION_ID = /^[a-z0-9][a-z0-9-]{0,34}$/;

export class TeamAdditionEnforcement extends Construct {
  readonly guardrail: Guardrail;
  readonly version: string;
  readonly enforcement: AccountEnforcement;

  constructor(scope: Construct, id: string, props: TeamAdditionProps) {
    super(scope, id);
    const check = new PropChecker('TeamAdditionEnforcement', scope, id);
    check.string('additionId', props.additionId, { pattern: ADDITION_ID, patternText: 'an id of lower-case letters, digits and "-"' });
    check.string('contentHash', props.contentHash, { pattern: /^[0-9a-f]{64}$/, patternText: 'a sha256 hex digest' });
    check.string('region', props.region);
    const name = teamVersionName(props.additionId);
    refuseAutomatedReasoning({ name, definition: props.definition }, [props.region], 'account');
    const names = teamResourceNames(props.region, props.contentHash);
    this.guardrail = new Guardrail(this, 'guardrail', {
      definition: props.definition,
      provider: props.provider,
      region: props.region,
      resourceName: names.guardrail,
      tags: { 'managed-by': 'guardrail-rollout', 'guardrail-rollout:team-addition': props.additionId },
    });
    const version = this.guardrail.publishRelease({ name, contentHash: props.contentHash }, { resourceName: names.version });
    this.version = version.version;
    this.enforcement = new AccountEnforcement(this, 'enforcement', {
      guardrailIdentifier: this.guardrail.guardrailArn,
      guardrailVersion: this.version,
      ...(props.selectiveContentGuarding ? { selectiveContentGuarding: props.selectiveContentGuarding } : {}),
      ...(props.modelEnforcement ? { modelEnforcement: props.modelEnforcement } : {}),
      provider: props.provider,
      resourceName: names.config,
    });
  }
}
