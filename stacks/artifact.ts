/** What synthesis produces for the engines: one stack per phase plus the publishing stack, and one per team addition. */
import type { Phase } from '../model/types.js';

export type StackName = 'guardrails' | Phase | `team-${string}`;

/** A synthesized stack on disk: cdktf.out/stacks/<name>/cdk.tf.json */
export interface StackArtifact {
  name: StackName;
  dir: string;
  file: string;
  json: Record<string, unknown>;
}
