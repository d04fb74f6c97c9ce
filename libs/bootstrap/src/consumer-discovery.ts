import type { AsyncApiReceive } from '@app/contracts';
import type { ConsumerSubscription } from '@app/messaging';
import { MetadataScanner, ModulesContainer } from '@nestjs/core';
import { PATTERN_EXTRAS_METADATA, PATTERN_METADATA } from '@nestjs/microservices/constants';

/**
 * The app's `@ConsumeEvent` handlers, read from the metadata Nest's EventPattern leaves on them:
 * what the transport binds is what the AsyncAPI document says is received, with no list to keep.
 * Reads classes only, never instances, so it works on an app created in preview mode too.
 */
export function consumersOf(modules: ModulesContainer): AsyncApiReceive[] {
  const scanner = new MetadataScanner();
  // Controllers only: Nest wires message handlers on nothing else.
  return [...modules.values()].flatMap((module) =>
    [...module.controllers.values()].flatMap(({ metatype }) => {
      const prototype = (metatype as { prototype?: object } | null)?.prototype;
      if (!prototype) return [];
      return scanner
        .getAllMethodNames(prototype)
        .flatMap((name) => subscriptionsOf((prototype as Record<string, unknown>)[name] as object));
    }),
  );
}

function subscriptionsOf(handler: object): AsyncApiReceive[] {
  const patterns = Reflect.getMetadata(PATTERN_METADATA, handler) as unknown[] | undefined;
  const extras = Reflect.getMetadata(PATTERN_EXTRAS_METADATA, handler) as Partial<ConsumerSubscription> | undefined;
  if (!patterns || !extras?.queue || !extras.exchange) return [];
  const exchanges = ([] as string[]).concat(extras.exchange);
  const queue = extras.queue;
  return patterns
    .filter((pattern): pattern is string => typeof pattern === 'string')
    .map((pattern) => ({ queue, exchanges, pattern }));
}
