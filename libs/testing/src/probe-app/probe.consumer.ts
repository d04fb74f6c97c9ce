import type { EventEnvelope } from '@app/contracts';
import { ConsumeEvent, Inbox } from '@app/messaging';
import { WriteBatcher } from '@app/persistence';
import { Controller } from '@nestjs/common';
import { PROBE_EXCHANGE, PROBE_QUEUE } from './probe.constants';

type ProbeEvent = EventEnvelope<{ delayMs?: number; failTimes?: number; transient?: boolean }>;

/**
 * Records what it is given. `probe.fail` events make it throw (every attempt, or the first
 * `failTimes` ones; a transient database error with `transient`), `probe.slow` take a while, and
 * `probe.effect` events are applied once per id through the inbox, those that arrive together in
 * one transaction, as the real apps' consumers do (bench:backbone measures this path).
 */
@Controller()
export class ProbeConsumer {
  static readonly handled: EventEnvelope[] = [];
  static readonly attempts = new Map<string, number>();
  /** Called after each event is handled (benchmarks time end-to-end latency with it). */
  static onHandled?: (event: EventEnvelope) => void;

  private readonly effects = new WriteBatcher<ProbeEvent, boolean>((events) =>
    this.inbox.processBatch(PROBE_QUEUE, events, async (manager, fresh) => {
      await manager.query('INSERT INTO probe.effects (event_id) SELECT unnest($1::text[])', [fresh.map((e) => e.id)]);
      // An effect that asks for a delay holds its batch's transaction open that long (tests race deliveries with it).
      const delayMs = Math.max(0, ...fresh.map((e) => e.data.delayMs ?? 0));
      if (delayMs > 0) await manager.query('SELECT pg_sleep($1)', [delayMs / 1000]);
    }),
  );

  constructor(private readonly inbox: Inbox) {}

  @ConsumeEvent('probe.*', { exchange: PROBE_EXCHANGE, queue: PROBE_QUEUE })
  async handle(event: ProbeEvent): Promise<void> {
    const attempt = (ProbeConsumer.attempts.get(event.id) ?? 0) + 1;
    ProbeConsumer.attempts.set(event.id, attempt);
    if (event.type === 'probe.fail' && attempt <= (event.data.failTimes ?? Infinity)) {
      // `transient`: as if the database were away (the error PostgreSQL gives while it restarts).
      if (event.data.transient) throw Object.assign(new Error('the database system is starting up'), { code: '57P03' });
      throw new Error('probe handler refused the event');
    }
    if (event.type === 'probe.slow') await new Promise((resolve) => setTimeout(resolve, event.data.delayMs ?? 500));
    if (event.type === 'probe.effect') await this.effects.submit(event);
    if (ProbeConsumer.onHandled) ProbeConsumer.onHandled(event);
    else ProbeConsumer.handled.push(event);
  }
}
