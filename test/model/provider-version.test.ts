/**
 * deployment.awsProviderVersion: the default pin (and the release it is derived from), user
 * overrides, and what a user sees for a constraint Terraform would not parse.
 */
import { InputError } from '../../core/errors.js';
import { AWS_PROVIDER_RELEASE, DEFAULT_AWS_PROVIDER_VERSION, isTerraformVersionConstraint } from '../../model/index.js';
import { loadError, loadMutated } from '../helpers/environment.js';

describe('deployment.awsProviderVersion', () => {
  test('the default is the release line of AWS_PROVIDER_RELEASE, below the next major', async () => {
    expect(AWS_PROVIDER_RELEASE).toBe('6.70.0');
    expect(DEFAULT_AWS_PROVIDER_VERSION).toBe('>= 6.70.0, < 7.0.0');
    const env = await loadMutated((d) => {
      d.deleteIn(['deployment', 'awsProviderVersion']);
    });
    expect(env.deployment.awsProviderVersion).toBe('>= 6.70.0, < 7.0.0');
  });

  test('a valid user constraint overrides the default verbatim', async () => {
    const env = await loadMutated((d) => {
      d.setIn(['deployment', 'awsProviderVersion'], '~> 6.80');
    });
    expect(env.deployment.awsProviderVersion).toBe('~> 6.80');
  });

  test('a constraint Terraform would not parse is bad input naming the file, the path and what is expected', async () => {
    const err = await loadError((d) => {
      d.setIn(['deployment', 'awsProviderVersion'], '6.x');
    });
    expect(err).toBeInstanceOf(InputError);
    expect(err.exitCode).toBe(2);
    expect(err.file).toMatch(/environment\.yaml$/);
    expect(err.path).toBe('deployment.awsProviderVersion');
    expect(err.expected).toBe(
      'expected a Terraform version constraint such as ">= 6.70.0, < 7.0.0" (comma-separated; each an optional operator =, !=, >, >=, <, <= or ~> and a version like 6.70.0), got "6.x" (line 390)',
    );
  });

  test.each([
    ['>= 6.70.0, < 7.0.0', true],
    ['6.70.0', true],
    ['= 6.70.0', true],
    ['~> 6.70', true],
    ['~>6', true],
    ['!= 6.71.0, >= 6.70.0', true],
    ['>= 7.0.0-beta1', true],
    ['', false],
    ['latest', false],
    ['6.x', false],
    ['>= 6.70.0,', false],
    ['=> 6.70.0', false],
    ['>= 6.70.0.1', false],
    ['>= v6.70.0', false],
  ])('isTerraformVersionConstraint(%j) is %s', (value, ok) => {
    expect(isTerraformVersionConstraint(value)).toBe(ok);
  });
});
