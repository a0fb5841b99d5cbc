/**
 * One test per validation rule of environment.yaml, asserting what a user sees: the file, the
 * path inside it and the expectation (with the YAML line where there is one).
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { loadEnvironment } from '../../model/load.js';
import { InputError } from '../../core/errors.js';
import { loadError, loadMutated } from '../helpers/environment.js';

async function rejects(mutate: Parameters<typeof loadError>[0]) {
  const err = await loadError(mutate);
  expect(err).toBeInstanceOf(InputError);
  expect(err.exitCode).toBe(2);
  expect(err.file).toMatch(/environment\.yaml$/);
  return err;
}

describe('identifiers', () => {
  test('an account id written as a YAML number asks for quotes', async () => {
    const err = await rejects((d) => {
      d.setIn(['organization', 'accounts', 3, 'id'], 333333333331);
    });
    expect(err.path).toBe('organization.accounts[3].id');
    expect(err.expected).toBe(
      'expected a 12-digit account id as a quoted string, e.g. "333333333331"; YAML read 333333333331 as a number (which drops leading zeros): put the id in quotes (line 40)',
    );
    expect(err.message).toBe(`${err.file} at organization.accounts[3].id: ${err.expected}`);
  });

  test('a number that lost its leading zero is shown padded back', async () => {
    const err = await rejects((d) => {
      d.setIn(['managementAccountId'], 12345678901);
    });
    expect(err.path).toBe('managementAccountId');
    expect(err.expected).toContain('e.g. "012345678901"; YAML read 12345678901 as a number');
  });

  test('account ids have 12 digits', async () => {
    const err = await rejects((d) => {
      d.setIn(['organization', 'accounts', 3, 'id'], '33333');
    });
    expect([err.path, err.expected]).toEqual([
      'organization.accounts[3].id',
      'expected a 12-digit account id, e.g. "111111111111", got "33333" (line 40)',
    ]);
  });

  test('root id pattern', async () => {
    const err = await rejects((d) => {
      d.setIn(['organization', 'root', 'id'], 'root-1');
    });
    expect([err.path, err.expected]).toEqual([
      'organization.root.id',
      'expected an organization root id like "r-ab12" (pattern ^r-[0-9a-z]{4,32}$), got "root-1" (line 11)',
    ]);
  });

  test('OU id pattern', async () => {
    const err = await rejects((d) => {
      d.setIn(['organization', 'ous', 2, 'id'], 'ou-sb01-WKLD');
    });
    expect([err.path, err.expected]).toEqual([
      'organization.ous[2].id',
      'expected an organizational unit id like "ou-ab12-11111111" (pattern ^ou-[0-9a-z]{4,32}-[a-z0-9]{8,32}$), got "ou-sb01-WKLD" (line 15)',
    ]);
  });

  test('organization id pattern', async () => {
    const err = await rejects((d) => {
      d.setIn(['organizationId'], 'o-short');
    });
    expect([err.path, err.expected]).toEqual([
      'organizationId',
      'expected an organization id like "o-abcdefghij" (pattern ^o-[a-z0-9]{10,32}$), got "o-short" (line 6)',
    ]);
  });

  test('regions come from the list of AWS commercial Regions', async () => {
    const err = await rejects((d) => {
      d.setIn(['regions', 1], 'eu-west-9');
    });
    expect([err.path, err.expected]).toEqual([
      'regions[1]',
      'expected an AWS commercial Region code (e.g. us-east-1, eu-west-1), got "eu-west-9" (line 7)',
    ]);
  });

  test('at least one Region', async () => {
    const err = await rejects((d) => {
      d.setIn(['regions'], d.createNode([]));
    });
    expect([err.path, err.expected]).toEqual(['regions', 'expected at least one Region (line 7)']);
  });

  test('a Region listed twice', async () => {
    const err = await rejects((d) => {
      d.setIn(['regions', 1], 'us-east-1');
    });
    expect([err.path, err.expected]).toEqual(['regions[1]', 'expected each Region once; us-east-1 is listed twice (line 7)']);
  });

  test('e-mail addresses are checked', async () => {
    const err = await rejects((d) => {
      d.setIn(['organization', 'accounts', 0, 'email'], 'not-an-email');
    });
    expect([err.path, err.expected]).toEqual([
      'organization.accounts[0].email',
      'expected an e-mail address, got "not-an-email" (line 21)',
    ]);
  });
});

describe('model ids', () => {
  test('inference-profile ids are refused with the fix', async () => {
    const err = await rejects((d) => {
      d.setIn(['enforcement', 'models', 'excluded', 0], 'us.anthropic.claude-3-5-sonnet-20241022-v2:0');
    });
    expect([err.path, err.expected]).toEqual([
      'enforcement.models.excluded[0]',
      'expected a foundation-model id, not the inference-profile id "us.anthropic.claude-3-5-sonnet-20241022-v2:0": drop the "us." prefix (line 145)',
    ]);
  });

  test('ALL only in included', async () => {
    const err = await rejects((d) => {
      d.setIn(['enforcement', 'models', 'excluded', 0], 'ALL');
    });
    expect([err.path, err.expected]).toEqual([
      'enforcement.models.excluded[0]',
      '"ALL" is only allowed (upper-case) in enforcement.models.included (line 143)',
    ]);
  });

  test('ALL is upper case', async () => {
    const err = await rejects((d) => {
      d.setIn(['enforcement', 'models', 'included', 0], 'all');
    });
    expect([err.path, err.expected]).toEqual(['enforcement.models.included[0]', 'expected "ALL" in upper case, got "all" (line 141)']);
  });

  test('smoke models use the foundation-model format', async () => {
    const err = await rejects((d) => {
      d.setIn(['smokeSuites', 'must-block', 0, 'model'], 'claude');
    });
    expect([err.path, err.expected]).toEqual([
      'smokeSuites.must-block[0].model',
      'expected a Bedrock foundation-model id provider.model[:version[:variant]] such as "amazon.titan-embed-text-v2:0", got "claude" (line 188)',
    ]);
  });

  test('exception models cannot be ARNs', async () => {
    const err = await rejects((d) => {
      d.setIn(
        ['exceptions', 0, 'changes', 'excludedModels', 0],
        'arn:aws:bedrock:us-east-1::foundation-model/cohere.embed-multilingual-v3',
      );
    });
    expect([err.path, err.expected]).toEqual([
      'exceptions[0].changes.excludedModels[0]',
      'expected a foundation-model id such as "anthropic.claude-3-5-sonnet-20240620-v1:0", not an ARN (line 154)',
    ]);
  });
});

describe('dates', () => {
  test('no such day', async () => {
    const err = await rejects((d) => {
      d.setIn(['exceptions', 0, 'expires'], '2026-02-30');
    });
    expect([err.path, err.expected]).toEqual([
      'exceptions[0].expires',
      'expected a real calendar date, got "2026-02-30" (no such day) (line 159)',
    ]);
  });

  test('ISO format only', async () => {
    const err = await rejects((d) => {
      d.setIn(['exceptions', 0, 'expires'], '30/06/2027');
    });
    expect([err.path, err.expected]).toEqual(['exceptions[0].expires', 'expected a date as YYYY-MM-DD, got "30/06/2027" (line 159)']);
  });
});

describe('organization tree', () => {
  test('parents must exist', async () => {
    const err = await rejects((d) => {
      d.setIn(['organization', 'accounts', 5, 'parent'], 'ou-sb01-missing1');
    });
    expect([err.path, err.expected]).toEqual([
      'organization.accounts[5].parent',
      'expected the id of the root (r-sb01) or of an OU listed in organization.ous, got "ou-sb01-missing1" which is not listed (line 54)',
    ]);
  });

  test('no cycles', async () => {
    const err = await rejects((d) => {
      d.setIn(['organization', 'ous', 2, 'parent'], 'ou-sb01-prod0001');
    });
    expect([err.path, err.expected]).toEqual([
      'organization.ous[2].parent',
      'expected the OU tree to lead up to the root, but the parents form a cycle: ou-sb01-wkld0001 → ou-sb01-prod0001 → ou-sb01-wkld0001 (line 15)',
    ]);
  });

  test('duplicate account ids', async () => {
    const err = await rejects((d) => {
      d.setIn(['organization', 'accounts', 4, 'id'], '333333333331');
    });
    expect([err.path, err.expected]).toEqual([
      'organization.accounts[4].id',
      'expected a unique account id; 333333333331 is listed twice (line 46)',
    ]);
  });

  test('the management account is listed', async () => {
    const err = await rejects((d) => {
      d.setIn(['managementAccountId'], '999999999999');
    });
    expect([err.path, err.expected]).toEqual([
      'managementAccountId',
      'expected the management account 999999999999 to be listed in organization.accounts (line 5)',
    ]);
  });

  test('unknown keys are errors', async () => {
    const err = await rejects((d) => {
      d.setIn(['organization', 'accounts', 0, 'emial'], 'x@example.com');
    });
    expect([err.path, err.expected]).toEqual([
      'organization.accounts[0]',
      'unknown key "emial" (check the spelling; unknown keys are not allowed) (line 21)',
    ]);
  });
});

describe('pilot', () => {
  test('the pilot account must be inside the pilot OU', async () => {
    const err = await rejects((d) => {
      d.setIn(['pilot', 'account'], '444444444441');
    });
    expect([err.path, err.expected]).toEqual([
      'pilot.account',
      'expected the pilot account 444444444441 to be inside the pilot OU ou-sb01-pilot001, but its parent is ou-sb01-prod0001 (line 115)',
    ]);
  });

  test('the pilot account must exist', async () => {
    const err = await rejects((d) => {
      d.setIn(['pilot', 'account'], '999999999999');
    });
    expect([err.path, err.expected]).toEqual([
      'pilot.account',
      'expected an account listed in organization.accounts, got "999999999999" (line 115)',
    ]);
  });

  test('the pilot account is never the management account', async () => {
    const err = await rejects((d) => {
      d.setIn(['pilot', 'account'], '111111111111');
    });
    expect([err.path, err.expected]).toEqual([
      'pilot.account',
      'expected a non-critical member account, not the management account (line 115)',
    ]);
  });
});

describe('releases', () => {
  test('release names are unique', async () => {
    const err = await rejects((d) => {
      d.setIn(['releases', 1, 'name'], 'baseline@2026.11.1');
      d.setIn(['currentRelease'], 'baseline@2026.11.1');
    });
    expect([err.path, err.expected]).toEqual([
      'releases[1].name',
      'expected unique release names; baseline@2026.11.1 is listed twice (line 125)',
    ]);
  });

  test('release names are <name>@<version>', async () => {
    const err = await rejects((d) => {
      d.setIn(['releases', 1, 'name'], 'baseline-2026.11.2');
    });
    expect([err.path, err.expected]).toEqual([
      'releases[1].name',
      'expected a release name <name>@<version> like "baseline@2026.11.2" (lower-case name, version starting with a digit), got "baseline-2026.11.2" (line 125)',
    ]);
  });

  test('currentRelease must be listed', async () => {
    const err = await rejects((d) => {
      d.setIn(['currentRelease'], 'baseline@2026.12.1');
    });
    expect([err.path, err.expected]).toEqual([
      'currentRelease',
      'expected one of the listed releases (baseline@2026.11.1, baseline@2026.11.2), got "baseline@2026.12.1" (line 130)',
    ]);
  });

  test('a pinned release whose definition changed is refused as immutable', async () => {
    const err = await rejects((d) => {
      d.setIn(['releases', 0, 'sha256'], '0'.repeat(64));
    });
    expect(err.path).toBe('releases[0].sha256');
    expect(err.expected).toMatch(
      /^release baseline@2026\.11\.1 is immutable: definition changed \(pinned sha256 0{64}, \S+baseline-2026\.11\.1\.ts now hashes to [0-9a-f]{64}\)\. Publish the change as a new release instead \(line 124\)$/,
    );
  });

  test('a missing definition file', async () => {
    const err = await rejects((d) => {
      d.setIn(['releases', 0, 'definition'], 'guardrails/nope.ts');
    });
    expect(err.path).toBe('releases[0].definition');
    expect(err.expected).toMatch(
      /^expected a guardrail definition file relative to the environment file, but \S+guardrails\/nope\.ts does not exist \(line 122\)$/,
    );
  });

  test('an invalid definition names the definition file and the path inside it', async () => {
    const bad = join(process.cwd(), 'test/helpers/fixtures/bad-prompt-attack.ts');
    const err = await loadError((d) => {
      d.setIn(['releases', 0, 'definition'], bad);
      d.deleteIn(['releases', 0, 'sha256']);
    });
    expect(err.file).toBe('test/helpers/fixtures/bad-prompt-attack.ts');
    expect(err.path).toBe('contentFilters[0].outputStrength');
    expect(err.expected).toBe('expected NONE for PROMPT_ATTACK (prompt-attack filtering applies to input only), got HIGH');
  });

  test('definitions may also be plain JSON', async () => {
    const env = await loadMutated((d) => {
      d.setIn(['releases', 0, 'definition'], join(process.cwd(), 'test/helpers/fixtures/plain-definition.json'));
      d.deleteIn(['releases', 0, 'sha256']);
    });
    expect(env.releases[0].definition.toSpec().words.map((w) => w.text)).toEqual(['bluebird-7']);
    expect(env.releases[0].definition.isFrozen).toBe(true);
  });
});

describe('exceptions', () => {
  test('every field is mandatory', async () => {
    const err = await rejects((d) => {
      d.deleteIn(['exceptions', 0, 'approver']);
    });
    expect([err.path, err.expected]).toEqual([
      'exceptions[0].approver',
      'expected the approver (text), got nothing (the key is missing) (line 151)',
    ]);
  });

  test('the target must be an account or OU of the organization', async () => {
    const err = await rejects((d) => {
      d.setIn(['exceptions', 0, 'target'], '999999999999');
    });
    expect([err.path, err.expected]).toEqual([
      'exceptions[0].target',
      'expected an account or OU listed in organization, got "999999999999" which is not listed (line 152)',
    ]);
  });

  test('changes are not empty', async () => {
    const err = await rejects((d) => {
      d.setIn(['exceptions', 0, 'changes'], d.createNode({}));
    });
    expect([err.path, err.expected]).toEqual([
      'exceptions[0].changes',
      'expected at least one change: excludedModels, system or messages (line 153)',
    ]);
  });

  test('exception ids are unique', async () => {
    const err = await rejects((d) => {
      d.setIn(['exceptions', 1, 'id'], 'EXC-2026-001');
    });
    expect([err.path, err.expected]).toEqual([
      'exceptions[1].id',
      'expected unique exception ids; EXC-2026-001 is listed twice (line 161)',
    ]);
  });
});

describe('phases and smoke cases', () => {
  test('all four phases are required', async () => {
    const err = await rejects((d) => {
      d.deleteIn(['phases', 'ou']);
    });
    expect([err.path, err.expected]).toEqual(['phases.ou', 'required but missing: expected a mapping (line 285)']);
  });

  test('smoke ids are unique within a phase', async () => {
    const err = await rejects((d) => {
      d.setIn(['smokeSuites', 'must-pass', 0, 'id'], 'block-violence');
    });
    expect([err.path, err.expected]).toEqual([
      'smokeSuites.must-pass[0].id',
      'expected smoke case ids unique within phase pilot; "block-violence" is also used at smokeSuites.must-block[0] (line 238)',
    ]);
  });

  test('an unknown suite', async () => {
    const err = await rejects((d) => {
      d.setIn(['phases', 'pilot', 'smoke', 0, 'include'], 'must-blok');
    });
    expect(err.path).toBe('phases.pilot.smoke[0].include');
    expect(err.expected).toBe(
      'expected the name of a smokeSuites entry (must-block, must-anonymize, must-pass, excluded-models), got "must-blok" (line 303)',
    );
  });

  test('bake durations', async () => {
    const err = await rejects((d) => {
      d.setIn(['phases', 'pilot', 'bake'], '2 hours');
    });
    expect([err.path, err.expected]).toEqual([
      'phases.pilot.bake',
      'expected a duration like "30m", "2h", "1h30m" or "0s", got "2 hours" (line 286)',
    ]);
  });

  test('bake and bakeSeconds are exclusive', async () => {
    const err = await rejects((d) => {
      d.setIn(['phases', 'pilot', 'bakeSeconds'], 5);
    });
    expect([err.path, err.expected]).toEqual([
      'phases.pilot.bakeSeconds',
      'expected exactly one of bakeSeconds (number) or bake (duration like "30m") (line 307)',
    ]);
  });

  test('bake strings become seconds; bakeSeconds is taken as is', async () => {
    const env = await loadMutated((d) => {
      d.setIn(['phases', 'ou', 'bake'], '1h30m');
      d.deleteIn(['phases', 'enterprise', 'bake']);
      d.setIn(['phases', 'enterprise', 'bakeSeconds'], 7200);
    });
    expect(env.phases.ou.bakeSeconds).toBe(5400);
    expect(env.phases.enterprise.bakeSeconds).toBe(7200);
  });
});

describe('deployment', () => {
  test('unknown backend types', async () => {
    const err = await rejects((d) => {
      d.setIn(['deployment', 'backend'], d.createNode({ type: 'gcs' }));
    });
    expect([err.path, err.expected]).toEqual([
      'deployment.backend.type',
      'expected a backend with type "local", "s3" or "cloud", got "gcs" (line 380)',
    ]);
  });

  test('defaults: role, local backend, terraform, provider constraint; s3 locking and encryption on', async () => {
    const env = await loadMutated((d) => {
      d.deleteIn(['deployment']);
      d.setIn(['sandbox'], d.createNode({}));
    });
    expect(env.deployment).toEqual({
      roleName: 'OrganizationAccountAccessRole',
      backend: { type: 'local' },
      terraformBinary: 'terraform',
      awsProviderVersion: '>= 6.70.0, < 7.0.0',
      stateStore: { type: 'local' },
    });
    expect(env.sandbox).toEqual({ policyTypeEnabled: true });
    const s3 = await loadMutated((d) => {
      d.setIn(
        ['deployment', 'backend'],
        d.createNode({ type: 's3', bucket: 'tf-state-bucket', keyPrefix: 'rollout', region: 'eu-west-1' }),
      );
    });
    expect(s3.deployment.backend).toEqual({
      type: 's3',
      bucket: 'tf-state-bucket',
      keyPrefix: 'rollout',
      region: 'eu-west-1',
      useLockfile: true,
      encrypt: true,
    });
    const cloud = await loadMutated((d) => {
      d.setIn(['deployment', 'backend'], d.createNode({ type: 'cloud', organization: 'acme', workspacePrefix: 'gr-' }));
    });
    expect(cloud.deployment.backend).toEqual({ type: 'cloud', organization: 'acme', hostname: 'app.terraform.io', workspacePrefix: 'gr-' });
  });
});

describe('enforcement defaults and the legacy inputTags key', () => {
  test('defaults: comprehensive/comprehensive, included ALL, nothing excluded', async () => {
    const env = await loadMutated((d) => {
      d.deleteIn(['enforcement']);
    });
    expect(env.enforcement).toEqual({ system: 'comprehensive', messages: 'comprehensive', models: { included: ['ALL'], excluded: [] } });
  });

  test('inputTags: ignore → both comprehensive, with a deprecation warning', async () => {
    const env = await loadMutated((d) => {
      d.deleteIn(['enforcement', 'system']);
      d.deleteIn(['enforcement', 'messages']);
      d.setIn(['enforcement', 'inputTags'], 'ignore');
    });
    expect([env.enforcement.system, env.enforcement.messages]).toEqual(['comprehensive', 'comprehensive']);
    expect(env.warnings).toEqual([
      'enforcement.inputTags: "ignore" is the deprecated preview key; read as system: comprehensive, messages: comprehensive. Replace it with system/messages.',
    ]);
  });

  test('inputTags: honor in an exception → both selective, warning mentions the untagged system prompt', async () => {
    const env = await loadMutated((d) => {
      d.setIn(['exceptions', 0, 'changes', 'inputTags'], 'honor');
    });
    expect(env.exceptions[0].changes).toEqual({
      excludedModels: ['cohere.embed-multilingual-v3'],
      system: 'selective',
      messages: 'selective',
    });
    expect(env.warnings?.[0]).toContain(
      'exceptions[0].changes.inputTags: "honor" is the deprecated preview key; read as system: selective, messages: selective',
    );
    expect(env.warnings?.[0]).toContain('system: selective checks nothing in an untagged system prompt');
  });

  test('inputTags cannot be mixed with system/messages', async () => {
    const err = await rejects((d) => {
      d.setIn(['enforcement', 'inputTags'], 'ignore');
    });
    expect([err.path, err.expected]).toEqual([
      'enforcement.inputTags',
      'expected either the legacy inputTags or system/messages, not both (do not mix the preview and GA schemas) (line 149)',
    ]);
  });
});

describe('files', () => {
  test('several problems are reported together, the first one as the path', async () => {
    const err = await rejects((d) => {
      d.setIn(['organizationId'], 'x');
      d.setIn(['regions', 0], 'mars-1');
    });
    expect(err.path).toBe('organizationId');
    expect(err.expected).toBe(
      'expected an organization id like "o-abcdefghij" (pattern ^o-[a-z0-9]{10,32}$), got "x" (line 6); also regions[0]: expected an AWS commercial Region code (e.g. us-east-1, eu-west-1), got "mars-1" (line 7)',
    );
  });

  test('YAML syntax errors and duplicate keys', async () => {
    const dup = await loadError(() => 'name: a\nname: b\n');
    expect([dup.path, dup.expected]).toEqual([undefined, 'expected valid YAML: Map keys must be unique (line 2, column 1)']);
    const syntax = await loadError(() => 'regions: [a\n');
    expect(syntax.expected).toMatch(/^expected valid YAML: .* \(line \d+, column \d+\)$/);
  });

  test('an unknown environment name lists the known ones', async () => {
    await expect(loadEnvironment('nope')).rejects.toThrow(
      /^no environment named "nope": expected environments\/nope\/environment\.yaml \(known: example-prod, sandbox\)$/,
    );
  });

  test('a directory path and a file path both work', async () => {
    expect((await loadEnvironment('environments/sandbox')).name).toBe('sandbox');
    expect((await loadEnvironment('./environments/example-prod/environment.yaml')).name).toBe('example-prod');
  });
});

// Rules of schema.ts / validate.ts that had no test of their own (acceptance audit).
describe('more rules, each with the text a user sees', () => {
  const line = String.raw` \(line \d+\)$`;
  /** The message ends with "(line N)" and line N of the file the user wrote holds `text`. */
  const pointsAt = (err: InputError, text: string) => {
    const n = Number(/\(line (\d+)\)$/.exec(err.expected)?.[1]);
    expect(readFileSync(err.file!, 'utf8').split('\n')[n - 1]).toContain(text);
  };

  test('OUs nest at most five levels below the root (AWS Organizations limit)', async () => {
    const err = await rejects((d) => {
      // Workloads (1) → Prod (2) → deep3 → deep4 → deep5 → deep6 (6 levels)
      let parent = 'ou-sb01-prod0001';
      for (const n of [3, 4, 5, 6]) {
        const id = `ou-sb01-deep000${n}`;
        (d.get('organization') as { get(k: string): { add(v: unknown): void } })
          .get('ous')
          .add(d.createNode({ id, name: `Deep ${n}`, parent }));
        parent = id;
      }
    });
    expect(err.path).toBe('organization.ous[10].parent');
    expect(err.expected).toMatch(
      new RegExp(`^expected OUs at most 5 levels below the root \\(AWS Organizations limit\\), ou-sb01-deep0006 is 6 levels deep${line}`),
    );
  });

  test('an OU cannot be its own parent', async () => {
    const err = await rejects((d) => {
      d.setIn(['organization', 'ous', 2, 'parent'], 'ou-sb01-wkld0001');
    });
    expect(err.path).toBe('organization.ous[2].parent');
    expect(err.expected).toMatch(new RegExp(`^expected a parent other than the OU itself \\(ou-sb01-wkld0001\\)${line}`));
  });

  test('the pilot OU must be an OU of the organization', async () => {
    const err = await rejects((d) => {
      d.setIn(['pilot', 'ou'], 'ou-sb01-missing1');
    });
    expect(err.path).toBe('pilot.ou');
    expect(err.expected).toMatch(new RegExp(`^expected an OU listed in organization\\.ous, got "ou-sb01-missing1"${line}`));
    pointsAt(err, 'ou-sb01-missing1');
  });

  test('a model listed twice in the enforcement defaults', async () => {
    const err = await rejects((d) => {
      d.setIn(['enforcement', 'models', 'excluded', 1], 'amazon.titan-embed-text-v2:0');
    });
    expect(err.path).toBe('enforcement.models.excluded[1]');
    expect(err.expected).toMatch(new RegExp(`^expected each model once; amazon\\.titan-embed-text-v2:0 is listed twice${line}`));
    pointsAt(err, 'amazon.titan-embed-text-v2:0');
  });

  test('guarding modes are lower case in the environment file (as in organization policies)', async () => {
    const err = await rejects((d) => {
      d.setIn(['enforcement', 'system'], 'COMPREHENSIVE');
    });
    expect(err.path).toBe('enforcement.system');
    expect(err.expected).toMatch(new RegExp(`^expected "comprehensive" or "selective" \\(lower case\\), got "COMPREHENSIVE"${line}`));
    pointsAt(err, 'system: COMPREHENSIVE');
  });

  test('an exception target must look like an account id or an OU id', async () => {
    const err = await rejects((d) => {
      d.setIn(['exceptions', 0, 'target'], 'data-platform-prod');
    });
    expect(err.path).toBe('exceptions[0].target');
    expect(err.expected).toMatch(
      new RegExp(`^expected an account id \\(12 digits\\) or an OU id \\(ou-…\\), got "data-platform-prod"${line}`),
    );
    pointsAt(err, 'target: "data-platform-prod"');
  });

  test('a smoke case has exactly one of content and contentFile; a contentFile must exist', async () => {
    const both = await rejects((d) => {
      d.setIn(['smokeSuites', 'must-pass', 0, 'contentFile'], 'smoke/long-system-prompt.txt');
    });
    expect(both.path).toBe('smokeSuites.must-pass[0].content');
    expect(both.expected).toMatch(new RegExp(`^expected exactly one of content or contentFile${line}`));
    const missing = await rejects((d) => {
      d.setIn(['smokeSuites', 'must-pass', 1, 'contentFile'], join(process.cwd(), 'environments/sandbox/smoke/nope.txt'));
    });
    expect(missing.path).toBe('smokeSuites.must-pass[1].contentFile');
    expect(missing.expected).toMatch(
      /^expected a text file relative to the environment file, but \S*environments\/sandbox\/smoke\/nope\.txt does not exist/,
    );
  });

  test('a phase without smoke cases is refused: a gate never passes without evidence', async () => {
    const err = await rejects((d) => {
      d.setIn(['phases', 'ou', 'smoke'], d.createNode([]));
    });
    expect(err.path).toBe('phases.ou.smoke');
    expect(err.expected).toMatch(new RegExp(`^expected at least one smoke case: a gate never passes without evidence${line}`));
  });

  test('an S3 backend needs a valid bucket name', async () => {
    const err = await rejects((d) => {
      d.setIn(['deployment', 'backend'], d.createNode({ type: 's3', bucket: 'TF_State', keyPrefix: 'rollout', region: 'eu-west-1' }));
    });
    expect(err.path).toBe('deployment.backend.bucket');
    expect(err.expected).toMatch(new RegExp(`^expected an S3 bucket name, got "TF_State"${line}`));
  });
});
