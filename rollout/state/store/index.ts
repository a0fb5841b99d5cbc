/** The state store (types.ts) and its two kinds: local files and S3. */
export type { HeldLock, RolloutStore } from './types.js';
export { LocalStore } from './local.js';
export { S3Store, type S3StoreOptions } from './s3.js';
export { lockTiming, type S3LockTiming } from './lock-s3.js';
