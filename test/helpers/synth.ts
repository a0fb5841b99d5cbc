import { Testing, TerraformStack } from 'cdktf';
import type { Construct } from 'constructs';

export type Json = Record<string, any>;

/** Builds constructs in a fresh stack and returns the synthesized cdk.tf.json as an object. */
export function synthWith(build: (stack: TerraformStack) => void): Json {
  const app = Testing.app();
  const stack = new TerraformStack(app, 'test');
  build(stack);
  return JSON.parse(Testing.synth(stack)) as Json;
}

export function onlyResource(json: Json, type: string): Json {
  const all = json.resource?.[type] as Record<string, Json> | undefined;
  const values = Object.values(all ?? {});
  if (values.length !== 1) throw new Error(`expected exactly one ${type}, found ${values.length}`);
  return values[0]!;
}

export function buildIn(build: (scope: Construct) => void): () => void {
  return () => synthWith((stack) => build(stack));
}
