import { COMMON_ERRORS, DomainError } from '@app/errors';
import { EventRecords } from '@app/messaging';
import { Injectable } from '@nestjs/common';
import { assembleTrace } from './event-trace';
import type { EventTraceView } from './event-trace.view';
import { ProducerRecords } from './producer-records';
import { TRACE_ERRORS } from './trace.errors';
import { TraceRepository } from './trace.repository';

/** GET /events/:id/trace: notifications' own records of the event beside what the producers kept. */
@Injectable()
export class EventTraceService {
  constructor(
    private readonly ownRecords: EventRecords,
    private readonly producers: ProducerRecords,
    private readonly repository: TraceRepository,
  ) {}

  async trace(id: string): Promise<EventTraceView> {
    const [own, remote, received, deliveries] = await Promise.all([
      this.ownRecords.find(id),
      this.producers.ask(id),
      this.repository.received(id),
      this.repository.deliveries(id),
    ]);
    const records = [...remote, { app: 'notifications' as const, record: own }];
    const trace = assembleTrace({ id, records, received, deliveries });
    if (trace) return trace;
    const unreachable = records.flatMap((entry) => ('unreachable' in entry ? [entry.app] : []));
    if (unreachable.length > 0) {
      throw new DomainError(
        TRACE_ERRORS['trace-incomplete'],
        `No service that answered knows event ${id}, and ${unreachable.join(', ')} could not be asked`,
      );
    }
    throw new DomainError(COMMON_ERRORS['not-found'], `No service of the platform has seen event ${id}`);
  }
}
