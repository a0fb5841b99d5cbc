// Its own module (no SDK, no gate code), so the report and `rollout status` can show it cheaply.
/** `phases.<phase>.propagationTimeout` when the environment does not set it. */
export const DEFAULT_PROPAGATION_TIMEOUT_SECONDS = 300;
