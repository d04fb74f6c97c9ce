/**
 * What code outside this app (the benches) may use of it: lint refuses any other way in
 * (eslint/layer-boundaries.mjs). Another app never imports it; apps talk over HTTP and events.
 */
export { appDefinition } from './app.definition';
export { migrations } from './migrations';
