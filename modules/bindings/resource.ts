/**
 * What the hand-written bindings share with the generated ones: a TerraformResource of the
 * `aws` provider whose meta-arguments (provider, depends_on, count, lifecycle, for_each) are
 * passed through, and attributes synthesized with unset arguments left out.
 */
import { TerraformResource, type TerraformMetaArguments } from 'cdktf';
import type { Construct } from 'constructs';

export abstract class AwsResourceBinding extends TerraformResource {
  protected constructor(scope: Construct, id: string, resourceType: string, meta: TerraformMetaArguments) {
    super(scope, id, {
      terraformResourceType: resourceType,
      terraformGeneratorMetadata: { providerName: 'aws' },
      provider: meta.provider,
      dependsOn: meta.dependsOn,
      count: meta.count,
      lifecycle: meta.lifecycle,
      forEach: meta.forEach,
    });
  }
}

export function dropUndefined<T extends Record<string, unknown>>(o: T): T {
  return Object.fromEntries(Object.entries(o).filter(([, v]) => v !== undefined)) as T;
}
