/**
 * The contract between the sandbox engine and the per-type resource handlers: what a handler
 * does for its resource type (the SDK calls for create / update / delete and the refresh read, which arguments force
 * a replacement, which attributes are only known after apply, and how to adopt an object a
 * crashed apply created but never recorded), plus the helpers the handlers share.
 * Argument and attribute names follow the hashicorp/aws provider docs
 * (https://registry.terraform.io/providers/hashicorp/aws/latest/docs/resources/<name>).
 */
import type { AccountClients } from '../../../aws/clients.js';
import { errorName } from '../../../aws/errors.js';

export interface ResourceContext {
  clients: AccountClients;
  account: string;
  region: string;
  address: string;
}

export type Attrs = Record<string, unknown>;

export interface ResourceHandler {
  /** Attributes the API assigns (unknown in a plan until created). */
  computed: readonly string[];
  /** Arguments whose change forces delete + create (any other change is an in-place update). */
  forceNew: readonly string[];
  create(ctx: ResourceContext, args: Attrs): Promise<Attrs>;
  update(ctx: ResourceContext, args: Attrs, prior: Attrs): Promise<Attrs>;
  /**
   * `prior` holds the recorded attributes. Never called for an object whose prior state has
   * `skip_destroy = true`: the engine plans that as a forget (rollout/state/change-action.ts).
   */
  delete(ctx: ResourceContext, args: Attrs, prior: Attrs): Promise<void>;
  /**
   * Refresh before a plan: whether the recorded object (`prior`: its attributes) still exists.
   * false only on the API's not-found answer (use `existsUnlessNotFound`); any other failure
   * (throttling, timeout, access denied) throws, so a failed read is never taken for "gone".
   */
  exists(ctx: ResourceContext, prior: Attrs): Promise<boolean>;
  /** Arguments compared as JSON documents rather than strings. */
  jsonArgs?: readonly string[];
}

/** Runs a delete; an object that is already gone (or a policy no longer attached) is success. */
export async function tolerateNotFound(fn: () => Promise<unknown>): Promise<void> {
  try {
    await fn();
  } catch (err) {
    const n = errorName(err);
    if (/NotFound|PolicyNotAttached/.test(n)) return;
    throw err;
  }
}

/** Runs a refresh read; the object is gone only when the API answers not found (e.g. ResourceNotFoundException, PolicyNotFoundException). */
export async function existsUnlessNotFound(read: () => Promise<boolean>): Promise<boolean> {
  try {
    return await read();
  } catch (err) {
    if (/NotFound/.test(errorName(err))) return false;
    throw err;
  }
}
