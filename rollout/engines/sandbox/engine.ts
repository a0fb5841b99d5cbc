import { readFile } from 'node:fs/promises';
import type { Environment } from '../../../model/types.js';
import type { AwsAccess } from '../../aws/clients.js';
import { ToolingError, UsageError } from '../../../core/errors.js';
import { writeJsonAtomic } from '../../state/store.js';
import type { ApplyResult, ChangeAction, Engine, EnginePlan, ResourceChange } from '../../state/contracts.js';
import type { StackArtifact, StackName } from '../../../stacks/artifact.js';
import { canonicalJson, canonicalSha256 } from '../../../core/canonical-json.js';
import { comparableArgs, handlerFor, SUPPORTED_TYPES, type Attrs, type ResourceContext } from './registry.js';
import { deleteAction, keepsInAws, replaceAction } from '../../state/change-action.js';
import { goneAddresses } from './refresh.js';
import {
  accountOfRoleArn,
  containsUnknown,
  dependenciesOf,
  parseStack,
  remoteStateStack,
  resolveValue,
  topoSort,
  UNKNOWN,
  type Reference,
  type TfResource,
  type TfStack,
} from '../tfjson.js';

export interface ResourceState {
  type: string;
  account: string;
  region: string;
  /** Arguments as applied (references resolved). */
  args: Attrs;
  /** Arguments + attributes the API returned. */
  attrs: Attrs;
  dependsOn: string[];
  createBeforeDestroy?: boolean;
}

export interface StackState {
  resources: Record<string, ResourceState>;
  outputs: Record<string, unknown>;
  appliedAt?: string;
}

export interface EngineState {
  version: 1;
  environment: string;
  stacks: Partial<Record<string, StackState>>;
}

export interface SandboxResourceChange extends ResourceChange {
  account: string;
  region: string;
  /** Why a replace/update was chosen, e.g. "guardrail_arn changed (forces replacement)". */
  reason?: string;
}

export interface SandboxEnginePlan extends EnginePlan {
  changes: SandboxResourceChange[];
}

/** What apply does to one object; `forget` drops it from the state and leaves it in AWS (no API call). */
export type ApplyOp = 'create' | 'update' | 'delete' | 'forget';

export interface SandboxEngineHooks {
  /**
   * Called after each resource's API calls succeeded and BEFORE its state is written.
   * Tests throw here to simulate a process killed mid-apply (the worst moment).
   */
  afterCall?(address: string, op: ApplyOp, index: number): void | Promise<void>;
  /** Called after the state of a resource was written. */
  afterWrite?(address: string, op: ApplyOp, index: number): void | Promise<void>;
}

export interface SandboxEngineOptions {
  env: Environment;
  access: AwsAccess;
  /** e.g. envPaths(env.name).sandboxEngine = .rollout/<env>/sandbox-engine.json */
  statePath: string;
  hooks?: SandboxEngineHooks;
  log?: (line: string) => void;
}

/** The plan given to apply() is not what the stack + state produce now. Nothing was changed. */
export class StalePlanError extends UsageError {
  constructor(stack: string, expected: string, actual: string) {
    super(
      `the plan for stack "${stack}" is stale (plan ${expected.slice(0, 12)}…, now ${actual.slice(0, 12)}…): the stack or the recorded state changed since it was made; run plan again`,
    );
    this.name = 'StalePlanError';
  }
}

const STACK_NAMES = ['guardrails', 'pilot', 'model-rules', 'ou', 'enterprise'];

/** `attrs._note` of a resource `rollout adopt` recorded (not created by an apply of this engine). */
export const ADOPTED_NOTE = 'rollout adopt';

interface Desired {
  resource: TfResource;
  account: string;
  region: string;
  deps: string[];
}

interface Op {
  kind: 'C' | 'D';
  address: string;
}

/** Actions that put a new configuration in place (op C) and that end the old object (op D: delete or forget). */
const NEW_OBJECT = new Set<ChangeAction>(['create', 'update', 'replace', 'replace-forget']);
const OLD_OBJECT_ENDS = new Set<ChangeAction>(['delete', 'forget', 'replace', 'replace-forget']);
const REPLACES = new Set<ChangeAction>(['replace', 'replace-forget']);

/** The recorded object as the provider sees it (arguments and attributes), e.g. for skip_destroy. */
const recorded = (r: ResourceState): Attrs => ({ ...r.args, ...r.attrs });

export class SandboxEngine implements Engine {
  readonly name = 'sandbox' as const;
  private readonly env: Environment;
  private readonly access: AwsAccess;
  private readonly statePath: string;
  private readonly hooks: SandboxEngineHooks;
  private readonly log: (line: string) => void;

  constructor(opts: SandboxEngineOptions) {
    this.env = opts.env;
    this.access = opts.access;
    this.statePath = opts.statePath;
    this.hooks = opts.hooks ?? {};
    this.log = opts.log ?? (() => {});
  }

  // ─────────── state ───────────

  async readState(): Promise<EngineState> {
    let text: string;
    try {
      text = await readFile(this.statePath, 'utf8');
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code === 'ENOENT') return { version: 1, environment: this.env.name, stacks: {} };
      throw new ToolingError(`cannot read the sandbox engine state ${this.statePath}`, err);
    }
    try {
      const s = JSON.parse(text) as EngineState;
      if (s.version !== 1 || typeof s.stacks !== 'object') throw new Error('unexpected format');
      return s;
    } catch (err) {
      throw new ToolingError(
        `the sandbox engine state ${this.statePath} is not valid (${(err as Error).message}); restore it or remove it and reset the sandbox`,
        err,
      );
    }
  }

  private async writeState(state: EngineState): Promise<void> {
    await writeJsonAtomic(this.statePath, state);
  }

  /**
   * Records objects that exist in AWS but no apply of this engine created (`rollout adopt`) as
   * resources of `stack`, so its next plan diffs against them (an update or a no-op) instead of
   * creating a second object. Nothing is called in AWS. An address the stack already holds is
   * left as it is; returns the addresses written.
   */
  async recordAdopted(stack: StackName, resources: Record<string, ResourceState>): Promise<string[]> {
    const state = await this.readState();
    const st = (state.stacks[stack] ??= { resources: {}, outputs: {} });
    const written = Object.keys(resources).filter((a) => !st.resources[a]);
    for (const a of written) st.resources[a] = resources[a]!;
    if (written.length) await this.writeState(state);
    return written;
  }

  /**
   * Drops adopted objects that no apply has rewritten yet from `stack` without any call (the
   * `forget` of Terraform's `removed` block): a rollback of their phase leaves them as they
   * were found. Returns the addresses dropped.
   */
  async forgetAdopted(stack: StackName, addresses: readonly string[]): Promise<string[]> {
    const state = await this.readState();
    const st = state.stacks[stack];
    const dropped = addresses.filter((a) => st?.resources[a]?.attrs._note === ADOPTED_NOTE);
    for (const a of dropped) delete st!.resources[a];
    if (dropped.length) await this.writeState(state);
    return dropped;
  }

  async outputs(stack: StackName): Promise<Record<string, unknown>> {
    return (await this.readState()).stacks[stack]?.outputs ?? {};
  }

  // ─────────── plan ───────────

  /** Refreshes (reads every recorded object of the stack back), then diffs; writes nothing. */
  async plan(stack: StackArtifact): Promise<SandboxEnginePlan> {
    const { state, gone } = await this.refreshed(stack.name, await this.readState());
    return this.planWith(stack, state, gone).plan;
  }

  /**
   * The state as AWS has it now: recorded objects of `stack` that are gone (not found) are left
   * out, so the plan re-creates them. A copy: the state file changes only when apply writes it.
   */
  private async refreshed(stack: StackName, state: EngineState): Promise<{ state: EngineState; gone: ReadonlySet<string> }> {
    const st = state.stacks[stack];
    if (!st) return { state, gone: new Set() };
    const gone = await goneAddresses(st.resources, (address, r) =>
      this.wrap(address, 'refresh', () => handlerFor(r.type).exists(this.context(address, r.account, r.region), r.attrs)),
    );
    if (!gone.length) return { state, gone: new Set() };
    for (const address of gone) this.log(`${address}: not found in ${st.resources[address]!.account}/${st.resources[address]!.region}`);
    const resources = Object.fromEntries(Object.entries(st.resources).filter(([a]) => !gone.includes(a)));
    return { state: { ...state, stacks: { ...state.stacks, [stack]: { ...st, resources } } }, gone: new Set(gone) };
  }

  private locate(r: TfResource, tf: TfStack): { account: string; region: string } {
    const ref = r.provider ?? 'aws';
    const p = tf.providers.get(ref);
    if (r.provider && !p) throw new ToolingError(`${r.address} uses provider "${r.provider}", which the stack does not configure`);
    const region = typeof r.args.region === 'string' ? r.args.region : (p?.region ?? this.env.homeRegion);
    const account = accountOfRoleArn(p?.roleArn) ?? this.env.managementAccountId;
    return { account, region };
  }

  /** Which of our stacks a terraform_remote_state data source reads (path/key/workspace name). */
  private remoteStack(tf: TfStack, id: string): string {
    const rs = tf.remoteStates.get(id);
    if (!rs) throw new ToolingError(`data.terraform_remote_state.${id} is referenced but not declared`);
    const hit = remoteStateStack(id, rs.config, STACK_NAMES);
    if (hit) return hit;
    throw new ToolingError(`cannot tell which stack data.terraform_remote_state.${id} reads (config ${JSON.stringify(rs.config)})`);
  }

  private planWith(
    stack: StackArtifact,
    state: EngineState,
    gone: ReadonlySet<string>,
  ): { plan: SandboxEnginePlan; tf: TfStack; desired: Map<string, Desired>; order: Op[] } {
    const tf = parseStack(stack.json, SUPPORTED_TYPES);
    const st: StackState = state.stacks[stack.name] ?? { resources: {}, outputs: {} };
    const known = new Set(tf.resources.keys());
    const desired = new Map<string, Desired>();
    for (const r of tf.resources.values()) {
      handlerFor(r.type);
      desired.set(r.address, { resource: r, ...this.locate(r, tf), deps: dependenciesOf(r, known) });
    }
    const order = topoSort([...desired.keys()], (a) => desired.get(a)!.deps);

    const changes = new Map<string, SandboxResourceChange>();
    const lookupFor =
      (self: string) =>
      (ref: Reference): unknown => {
        if (ref.kind === 'remote') {
          const src = this.remoteStack(tf, ref.id);
          const outs = state.stacks[src]?.outputs ?? {};
          return ref.key in outs ? outs[ref.key] : UNKNOWN;
        }
        const dep = changes.get(ref.address);
        const prior = st.resources[ref.address];
        const h = handlerFor(desired.get(ref.address)!.resource.type);
        let v: unknown;
        if (!dep) throw new ToolingError(`${self} refers to ${ref.address} before it is planned (dependency order)`);
        if (dep.action === 'create' || REPLACES.has(dep.action)) {
          v = h.computed.includes(ref.attr) ? UNKNOWN : (dep.after as Attrs)[ref.attr];
        } else {
          v = h.computed.includes(ref.attr) ? prior?.attrs[ref.attr] : (dep.after as Attrs)[ref.attr];
        }
        for (const p of ref.path) {
          if (v === UNKNOWN) break;
          v = v && typeof v === 'object' ? (v as Record<string, unknown>)[p] : undefined;
        }
        if (v === undefined) throw new ToolingError(`${self}: ${ref.expr} has no value (${ref.address} has no attribute "${ref.attr}")`);
        return v;
      };

    for (const address of order) {
      const d = desired.get(address)!;
      const r = d.resource;
      const h = handlerFor(r.type);
      const after = resolveValue(r.args, lookupFor(address)) as Attrs;
      const prior = st.resources[address];
      let action: ChangeAction;
      let reason: string | undefined;
      if (!prior) {
        action = 'create';
        if (gone.has(address)) reason = 'not found in AWS (deleted outside rollout): re-created';
      } else if (prior.account !== d.account || prior.region !== d.region) {
        action = replaceAction(recorded(prior));
        reason = `moves from ${prior.account}/${prior.region} to ${d.account}/${d.region}`;
      } else {
        const a = comparableArgs(r.type, after);
        const b = comparableArgs(r.type, prior.args);
        const keys = [...new Set([...Object.keys(a), ...Object.keys(b)])].sort();
        const diff = keys.filter((k) => containsUnknown(a[k]) || canonicalJson(a[k]) !== canonicalJson(b[k]));
        const forcing = diff.filter((k) => h.forceNew.includes(k));
        const triggers = (r.lifecycle.replaceTriggeredBy ?? [])
          .map((t) => t.split('.').slice(0, 2).join('.'))
          .filter((t) => {
            const c = changes.get(t);
            return c && c.action !== 'no-op';
          });
        if (forcing.length) {
          action = replaceAction(recorded(prior));
          reason = `${forcing.join(', ')} changed (forces replacement)`;
        } else if (triggers.length) {
          action = replaceAction(recorded(prior));
          reason = `replace_triggered_by ${triggers.join(', ')}`;
        } else if (diff.length) {
          action = 'update';
          reason = `${diff.join(', ')} changed`;
        } else action = 'no-op';
      }
      changes.set(address, {
        address,
        type: r.type,
        action,
        account: d.account,
        region: d.region,
        ...(prior ? { before: comparableArgs(r.type, prior.args) } : {}),
        after: comparableArgs(r.type, after),
        ...(reason ? { reason } : {}),
      });
    }
    for (const [address, prior] of Object.entries(st.resources).sort(([a], [b]) => a.localeCompare(b))) {
      if (desired.has(address)) continue;
      changes.set(address, {
        address,
        type: prior.type,
        action: deleteAction(recorded(prior)),
        account: prior.account,
        region: prior.region,
        before: comparableArgs(prior.type, prior.args),
      });
    }

    const ops = this.operationOrder(changes, desired, st);
    const opIndex = new Map(ops.map((o, i) => [`${o.kind}:${o.address}`, i]));
    const firstOp = (c: SandboxResourceChange) =>
      Math.min(opIndex.get(`C:${c.address}`) ?? Infinity, opIndex.get(`D:${c.address}`) ?? Infinity);
    const ordered = [...changes.values()].sort((a, b) => firstOp(a) - firstOp(b) || a.address.localeCompare(b.address));
    const planHash = canonicalSha256({ stack: stack.name, changes: ordered });
    return { plan: { stack: stack.name, changes: ordered, planHash }, tf, desired, order: ops };
  }

  /**
   * Operation order: C:x = create/update (new config), D:x = delete (old object).
   *  - C:dep before C:x for dependencies in the new config;
   *  - D:s before D:x when s depended on x and is deleted too (detach before delete policy);
   *  - C:s before D:x when x is removed and s depended on it but stays (repoint, then delete);
   *  - replace: D:x before C:x, or C:x before D:x with create_before_destroy.
   * A forget (skip_destroy) is a D op too: it only drops the object from the state.
   */
  private operationOrder(changes: Map<string, SandboxResourceChange>, desired: Map<string, Desired>, st: StackState): Op[] {
    const ops: Op[] = [];
    const has = new Set<string>();
    for (const c of changes.values()) {
      if (NEW_OBJECT.has(c.action)) {
        ops.push({ kind: 'C', address: c.address });
        has.add(`C:${c.address}`);
      }
      if (OLD_OBJECT_ENDS.has(c.action)) {
        ops.push({ kind: 'D', address: c.address });
        has.add(`D:${c.address}`);
      }
    }
    const before = new Map<string, Set<string>>(); // key → keys that must run first
    const edge = (first: string, then: string) => {
      if (!has.has(first) || !has.has(then)) return;
      (before.get(then) ?? before.set(then, new Set()).get(then)!).add(first);
    };
    for (const [address, d] of desired) for (const dep of d.deps) edge(`C:${dep}`, `C:${address}`);
    for (const [s, prior] of Object.entries(st.resources)) {
      for (const x of prior.dependsOn) {
        const cx = changes.get(x);
        if (!cx || !OLD_OBJECT_ENDS.has(cx.action)) continue;
        edge(`D:${s}`, `D:${x}`);
        const cbd = desired.get(x)?.resource.lifecycle.createBeforeDestroy;
        if (!REPLACES.has(cx.action) || cbd) edge(`C:${s}`, `D:${x}`);
      }
    }
    for (const c of changes.values()) {
      if (!REPLACES.has(c.action)) continue;
      if (desired.get(c.address)?.resource.lifecycle.createBeforeDestroy) edge(`C:${c.address}`, `D:${c.address}`);
      else edge(`D:${c.address}`, `C:${c.address}`);
    }
    const keys = ops.map((o) => `${o.kind}:${o.address}`);
    const sorted = topoSort(
      keys,
      (k) => [...(before.get(k) ?? [])],
      (a, b) => (a[0] === b[0] ? a.localeCompare(b) : a[0] === 'D' ? -1 : 1),
    );
    return sorted.map((k) => ({ kind: k[0] as 'C' | 'D', address: k.slice(2) }));
  }

  // ─────────── apply ───────────

  async apply(stack: StackArtifact, plan: EnginePlan): Promise<ApplyResult> {
    // The same refresh as plan(): the hash check refuses a plan made before something changed in AWS.
    const { state, gone } = await this.refreshed(stack.name, await this.readState());
    const { plan: fresh, tf, desired, order } = this.planWith(stack, state, gone);
    if (fresh.planHash !== plan.planHash) throw new StalePlanError(stack.name, plan.planHash, fresh.planHash);
    const st: StackState = (state.stacks[stack.name] ??= { resources: {}, outputs: {} });
    const changes = new Map(fresh.changes.map((c) => [c.address, c]));

    const lookup =
      (self: string) =>
      (ref: Reference): unknown => {
        if (ref.kind === 'remote') {
          const src = this.remoteStack(tf, ref.id);
          const outs = state.stacks[src]?.outputs ?? {};
          if (!(ref.key in outs)) throw new ToolingError(`${self}: stack "${src}" has no output "${ref.key}" — apply it first`);
          return outs[ref.key];
        }
        let v: unknown = st.resources[ref.address]?.attrs[ref.attr];
        for (const p of ref.path) v = v && typeof v === 'object' ? (v as Record<string, unknown>)[p] : undefined;
        if (v === undefined) throw new ToolingError(`${self}: ${ref.expr} has no value after applying ${ref.address}`);
        return v;
      };

    let index = 0;
    for (const op of order) {
      const c = changes.get(op.address)!;
      if (op.kind === 'D') {
        const prior = st.resources[op.address]!;
        const ctx = this.context(op.address, prior.account, prior.region);
        const kind: ApplyOp = keepsInAws(c.action) ? 'forget' : 'delete';
        this.log(`${op.address}: ${kind === 'forget' ? 'forget (kept in AWS)' : 'delete'} (${prior.account}/${prior.region})`);
        if (kind === 'delete') await this.wrap(op.address, 'delete', () => handlerFor(prior.type).delete(ctx, prior.args, prior.attrs));
        await this.hooks.afterCall?.(op.address, kind, index);
        delete st.resources[op.address];
        await this.writeState(state);
        await this.hooks.afterWrite?.(op.address, kind, index);
      } else {
        const d = desired.get(op.address)!;
        const h = handlerFor(d.resource.type);
        const args = resolveValue(d.resource.args, lookup(op.address)) as Attrs;
        const prior = st.resources[op.address];
        const ctx = this.context(op.address, d.account, d.region);
        const kind = prior && c.action === 'update' ? 'update' : 'create';
        this.log(`${op.address}: ${kind} (${d.account}/${d.region})`);
        const attrs = await this.wrap(op.address, kind, () =>
          kind === 'update' ? h.update(ctx, args, prior!.attrs) : h.create(ctx, args),
        );
        await this.hooks.afterCall?.(op.address, kind, index);
        st.resources[op.address] = {
          type: d.resource.type,
          account: d.account,
          region: d.region,
          args,
          attrs,
          dependsOn: d.deps,
          ...(d.resource.lifecycle.createBeforeDestroy ? { createBeforeDestroy: true } : {}),
        };
        await this.writeState(state);
        await this.hooks.afterWrite?.(op.address, kind, index);
      }
      index++;
    }

    const outputs: Record<string, unknown> = {};
    for (const [k, v] of Object.entries(tf.outputs)) outputs[k] = resolveValue(v, lookup(`output.${k}`));
    st.outputs = outputs;
    st.appliedAt = new Date().toISOString();
    if (!Object.keys(st.resources).length && !Object.keys(outputs).length) delete state.stacks[stack.name];
    await this.writeState(state);
    return { stack: stack.name, outputs };
  }

  /** What a handler acts with: the clients of the resource's account and region. */
  private context(address: string, account: string, region: string): ResourceContext {
    return { clients: this.access.forAccount(account, region), account, region, address };
  }

  private async wrap<T>(address: string, op: string, fn: () => Promise<T>): Promise<T> {
    try {
      return await fn();
    } catch (err) {
      if (err instanceof ToolingError || err instanceof UsageError) throw err;
      const e = err as Error;
      throw new ToolingError(`${op} ${address} failed: ${e.name}: ${e.message}`, err);
    }
  }
}
