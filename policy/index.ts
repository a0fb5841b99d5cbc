/** The policy engine: BEDROCK_POLICY documents, Organizations inheritance, effective policies. Pure. */
export * from './document.js';
export * from './inherit.js';
export * from './effective.js';
export * from './locks.js';
export * from './builder.js';
export * from './validate.js';
export * from './operators.js';
export * from './snapshot.js';
export * from './preview.js';
