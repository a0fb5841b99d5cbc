/** deployment.stateStore: local by default; s3 with a default prefix and the homeRegion; bad values name file, path and expectation (exit 2). */
import { InputError } from '../../core/errors.js';
import { loadError, loadMutated } from '../helpers/environment.js';

describe('deployment.stateStore', () => {
  test('defaults to local', async () => {
    const env = await loadMutated(() => undefined);
    expect(env.deployment.stateStore).toEqual({ type: 'local' });
  });

  test('s3: prefix defaults to guardrail-rollout, region to the homeRegion; both may be set', async () => {
    const env = await loadMutated((d) => {
      d.setIn(['deployment', 'stateStore'], { type: 's3', bucket: 'acme-tf-state' });
    });
    expect(env.deployment.stateStore).toEqual({ type: 's3', bucket: 'acme-tf-state', prefix: 'guardrail-rollout', region: 'us-east-1' });
    const set = await loadMutated((d) => {
      d.setIn(['deployment', 'stateStore'], { type: 's3', bucket: 'acme-tf-state', prefix: 'ci/rollout', region: 'eu-west-1' });
    });
    expect(set.deployment.stateStore).toEqual({ type: 's3', bucket: 'acme-tf-state', prefix: 'ci/rollout', region: 'eu-west-1' });
  });

  test.each([
    [{ type: 'dynamodb' }, 'deployment.stateStore.type', /expected a state store with type "local" or "s3", got "dynamodb"/],
    [{ type: 's3' }, 'deployment.stateStore.bucket', /expected an S3 bucket name, got nothing/],
    [{ type: 's3', bucket: 'Bad_Bucket' }, 'deployment.stateStore.bucket', /expected an S3 bucket name \(3-63 lower-case/],
    [{ type: 's3', bucket: 'ok-bucket', prefix: '/lead' }, 'deployment.stateStore.prefix', /no leading or trailing "\/"/],
    [{ type: 's3', bucket: 'ok-bucket', region: 'mars-1' }, 'deployment.stateStore.region', /expected an AWS commercial Region code/],
    [{ type: 's3', bucket: 'ok-bucket', table: 'x' }, 'deployment.stateStore', /table/],
    [{ type: 'local', bucket: 'x' }, 'deployment.stateStore', /bucket/],
  ])('%j is bad input at %s', async (value, path, message) => {
    const err = await loadError((d) => {
      d.setIn(['deployment', 'stateStore'], value);
    });
    expect(err).toBeInstanceOf(InputError);
    expect(err.exitCode).toBe(2);
    expect(err.file).toMatch(/environment\.yaml$/);
    expect(err.path).toBe(path);
    expect(err.expected).toMatch(message);
  });
});
