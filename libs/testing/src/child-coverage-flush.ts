/**
 * Preloaded into a spawned app when the tests measure coverage (see child-coverage.ts). A process
 * writes its V8 coverage when it exits, and a killed one never does: several tests end an app with
 * SIGKILL, because a crash is what they test or to clean up fast. So the app also writes what it
 * has run so far every few seconds; c8 adds the files up. A crash loses at most the last interval.
 */
import { takeCoverage } from 'node:v8';

const FLUSH_INTERVAL_MS = 5_000;

setInterval(() => takeCoverage(), FLUSH_INTERVAL_MS).unref();
