/**
 * The worked examples of the AWS Organizations documentation (test/helpers/aws-inheritance-examples.ts),
 * reproduced by the policy engine through `rollout effective`.
 */
import { AWS_EXAMPLES, AWS_EXAMPLES_URL, EXAMPLE_TREE } from '../helpers/aws-inheritance-examples.js';
import { effectiveViaCli } from '../helpers/run-cli.js';

describe(`AWS inheritance examples (${AWS_EXAMPLES_URL})`, () => {
  test.each(AWS_EXAMPLES.map((e) => [e.name, e] as const))('%s', async (_name, example) => {
    for (const policies of example.attachments) {
      const out = await effectiveViaCli({ ...EXAMPLE_TREE, policies });
      for (const [account, expected] of Object.entries(example.expected)) expect(out[account]).toEqual(expected);
    }
  });
});
