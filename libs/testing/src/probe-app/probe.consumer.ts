import type { EventEnvelope } from '@app/contracts';
import { ConsumeEvent, Inbox } from '@app/messaging';
import { Controller } from '@nestjs/common';
import { PROBE_EXCHANGE, PROBE_QUEUE } from './probe.constants';

/**
 * Records what it is given. `probe.fail` events make it throw (every attempt, or the first
 * `failTimes` ones; a transient database error with `transient`), `probe.slow` take a while, and `probe.effect` events are applied once per id
 * through the inbox.
 */
@Controller()
export class ProbeConsumer {
  static readonly handled: EventEnvelope[] = [];
  static readonly attempts = new Map<string, number>();
  /** Called after each event is handled (benchmarks time end-to-end latency with it). */
  static onHandled?: (event: EventEnvelope) => void;

  constructor(private readonly inbox: Inbox) {}

  @ConsumeEvent('probe.*', { exchange: PROBE_EXCHANGE, queue: PROBE_QUEUE })
  async handle(event: EventEnvelope<{ delayMs?: number; failTimes?: number; transient?: boolean }>): Promise<void> {
    const attempt = (ProbeConsumer.attempts.get(event.id) ?? 0) + 1;
    ProbeConsumer.attempts.set(event.id, attempt);
    if (event.type === 'probe.fail' && attempt <= (event.data.failTimes ?? Infinity)) {
      // `transient`: as if the database were away (the error PostgreSQL gives while it restarts).
      if (event.data.transient) throw Object.assign(new Error('the database system is starting up'), { code: '57P03' });
      throw new Error('probe handler refused the event');
    }
    if (event.type === 'probe.slow') await new Promise((resolve) => setTimeout(resolve, event.data.delayMs ?? 500));
    if (event.type === 'probe.effect') {
      await this.inbox.processOnce(PROBE_QUEUE, event, async (manager) => {
        await manager.query('INSERT INTO probe.effects (event_id) VALUES ($1)', [event.id]);
        if (event.data.delayMs) await manager.query('SELECT pg_sleep($1)', [event.data.delayMs / 1000]);
      });
    }
    if (ProbeConsumer.onHandled) ProbeConsumer.onHandled(event);
    else ProbeConsumer.handled.push(event);
  }
}
