import type { EventEnvelope } from '@app/contracts';
import { ConsumeEvent, Inbox } from '@app/messaging';
import { PreparedStatement, WriteBatcher } from '@app/persistence';
import { Controller } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import type { DataSource } from 'typeorm';
import { PROBE_EXCHANGE, PROBE_QUEUE } from './probe.constants';

type ProbeEvent = EventEnvelope<{ delayMs?: number; failTimes?: number; transient?: boolean }>;

/**
 * Records what it is given. `probe.fail` events make it throw (every attempt, or the first
 * `failTimes` ones; a transient database error with `transient`), `probe.slow` take a while, and
 * `probe.effect` events are applied once per id through the inbox, those that arrive together in
 * one statement, as the real apps' consumers batch (bench:backbone measures this path).
 */
@Controller()
export class ProbeConsumer {
  static readonly handled: EventEnvelope[] = [];
  static readonly attempts = new Map<string, number>();
  /** Called after each event is handled (benchmarks time end-to-end latency with it). */
  static onHandled?: (event: EventEnvelope) => void;

  /** The inbox and the effects of a batch in one statement, committed on its own (as the fan-out's). */
  private readonly applyEffects: PreparedStatement<{ event_id: string }>;

  private readonly effects = new WriteBatcher<ProbeEvent, boolean>(async (events) => {
    const applied = await this.applyEffects.run(this.dataSource, [PROBE_QUEUE, events.map((event) => event.id)]);
    const fresh = new Set(applied.map((row) => row.event_id));
    // Set.delete is true once per id: a copy of an event later in the same batch is a duplicate.
    const answers = events.map((event) => fresh.delete(event.id));
    this.inbox.countDuplicates(PROBE_QUEUE, answers.filter((first) => !first).length);
    return answers;
  });

  constructor(
    @InjectDataSource() private readonly dataSource: DataSource,
    private readonly inbox: Inbox,
  ) {
    this.applyEffects = new PreparedStatement(
      'probe-apply-effects',
      `WITH ${inbox.freshEventsCte('$1', '$2')}
       INSERT INTO probe.effects (event_id) SELECT event_id FROM fresh_events RETURNING event_id`,
    );
  }

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
