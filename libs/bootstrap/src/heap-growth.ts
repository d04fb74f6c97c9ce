import { setFlagsFromString } from 'node:v8';

/** Each full collection lets the old generation grow by at most this much before the next one. */
export const HEAP_GROWING_PERCENT = 40;

/**
 * The V8 flag that bounds heap growth, unless the operator chose a heap growth of their own (on
 * the command line or in NODE_OPTIONS), which is left alone.
 */
export function heapGrowthFlag(execArgv: readonly string[], nodeOptions = ''): string | undefined {
  const chosen = [...execArgv, ...nodeOptions.split(/\s+/)].some((arg) => /^--heap[-_]growing[-_]percent\b/.test(arg));
  return chosen ? undefined : `--heap-growing-percent=${HEAP_GROWING_PERCENT}`;
}

/**
 * By default V8 lets the old generation grow to up to four times what survived the last full
 * collection before it collects again. Under steady load the apps keep about 40 MiB alive but
 * promote request garbage fast, so the heap grew past 150 MiB and the transactions app's RSS past
 * 240 MiB before V8 looked. Bounding the growth keeps it near 170 MiB (64 requests in flight) for
 * a few more incremental collections. Set at run time because the apps start as plain
 * `node main.js`; V8 reads this flag at every collection (the heap's sizes, by contrast, are
 * fixed at start-up and cannot be set this way).
 */
export function limitHeapGrowth(): void {
  const flag = heapGrowthFlag(process.execArgv, process.env.NODE_OPTIONS);
  if (flag) setFlagsFromString(flag);
}
