/**
 * What code outside this app (the benches) may use of it: lint refuses any other way in
 * (eslint/layer-boundaries.mjs). Another app never imports it; apps talk over HTTP and events.
 */
export { appDefinition } from './app.definition';
export { notificationsEnvSchema } from './config';
export { migrations } from './migrations';
// bench/webhooks.ts stops the dispatcher to time fan-out alone, and signs its no-database floor
// exactly as the service does.
export { DeliveryDispatcher } from './deliveries/delivery-dispatcher';
export { signatureHeader } from './deliveries/webhook-signer';
// bench/filters.ts times the fan-out's filter check as it is built.
export { TargetFilter } from './endpoints/event-filter';
