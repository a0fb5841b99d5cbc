/** What synthesis produces for the engines: one stack per phase plus the publishing stack. */
import type { Phase } from '../model/types.js';

export type StackName = 'guardrails' | Phase;

/** A synthesized stack on disk: cdktf.out/stacks/<name>/cdk.tf.json */
export interface StackArtifact {
  name: StackName;
  dir: string;
  file: string;
  json: Record<string, unknown>;
}
