/** Public entry of rollout/notify: webhook notifications of a verb (docs/notifications.md). */
export { createNotifier, type Notifier, type NotifierOptions, type DeliverySummary } from './notifier.js';
export {
  exceptionsExpiringEvent,
  gateFailedEvent,
  promotionStartedEvent,
  resultEvents,
  failedChecksOf,
  type NotificationEvent,
  type NotificationCheck,
  type ExpiringException,
  type EventBase,
  type ResultLike,
} from './events.js';
export { buildPayload, PAYLOAD_SCHEMA_VERSION, MAX_PAYLOAD_CHECKS, type NotificationPayload } from './payload.js';
export { slackMessage, SLACK_LIST_CAP, type SlackMessage, type SlackBlock } from './slack.js';
export {
  ATTEMPT_TIMEOUT_MS,
  BACKOFF_BASE_MS,
  type AttemptOutcome,
  type AttemptRecord,
  type DeliveryResult,
  type DeliveryStatus,
} from './deliver.js';
export { resolveSinkUrl } from './url.js';
