import type { EventEnvelope } from '@app/contracts';
import { ConsumeEvent } from '@app/messaging';
import { Controller } from '@nestjs/common';
import { PROBE_EXCHANGE, PROBE_QUEUE } from './probe.constants';

/** Records what it is given; `probe.fail` events make it throw, `probe.slow` take a while. */
@Controller()
export class ProbeConsumer {
  static readonly handled: EventEnvelope[] = [];

  @ConsumeEvent('probe.*', { exchange: PROBE_EXCHANGE, queue: PROBE_QUEUE })
  async handle(event: EventEnvelope<{ delayMs?: number }>): Promise<void> {
    if (event.type === 'probe.fail') throw new Error('probe handler refused the event');
    if (event.type === 'probe.slow') await new Promise((resolve) => setTimeout(resolve, event.data.delayMs ?? 500));
    ProbeConsumer.handled.push(event);
  }
}
