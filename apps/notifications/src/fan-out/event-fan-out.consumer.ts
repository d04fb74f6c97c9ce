import { EventEnvelope, EXCHANGES } from '@app/contracts';
import { ConsumeEvent, Inbox } from '@app/messaging';
import { Controller } from '@nestjs/common';
import { DeliveriesRepository } from '../deliveries/deliveries.repository';
import { DeliveryDispatcher } from '../deliveries/delivery-dispatcher';
import { EndpointsRepository } from '../endpoints/endpoints.repository';
import { wantsEvent } from '../endpoints/event-filter';
import { EventArchiveRepository } from './event-archive.repository';

export const FAN_OUT_QUEUE = 'notifications.deliveries';

/**
 * Every event of the three exchanges, fanned out to every enabled endpoint whose filters match:
 * the deliveries (and the archive entry replay reads) are committed, with the event id in the
 * inbox, before the message is acked. Then the dispatcher is woken.
 */
@Controller()
export class EventFanOutConsumer {
  constructor(
    private readonly inbox: Inbox,
    private readonly archive: EventArchiveRepository,
    private readonly endpoints: EndpointsRepository,
    private readonly deliveries: DeliveriesRepository,
    private readonly dispatcher: DeliveryDispatcher,
  ) {}

  @ConsumeEvent('#', { exchange: EXCHANGES.transactions, queue: FAN_OUT_QUEUE })
  fromTransactions(event: EventEnvelope): Promise<void> {
    return this.fanOut(event);
  }

  @ConsumeEvent('#', { exchange: EXCHANGES.adEngine, queue: FAN_OUT_QUEUE })
  fromAdEngine(event: EventEnvelope): Promise<void> {
    return this.fanOut(event);
  }

  @ConsumeEvent('#', { exchange: EXCHANGES.notifications, queue: FAN_OUT_QUEUE })
  fromNotifications(event: EventEnvelope): Promise<void> {
    return this.fanOut(event);
  }

  private async fanOut(event: EventEnvelope): Promise<void> {
    // webhook.test goes only to the endpoint it was sent for, never through the broker.
    if (event.type === 'webhook.test') return;
    const applied = await this.inbox.processOnce(FAN_OUT_QUEUE, event, async (manager) => {
      await this.archive.add(manager, event);
      const subscribers = (await this.endpoints.enabled(manager)).filter((e) => wantsEvent(e.event_types, event.type));
      await this.deliveries.insertFor(
        manager,
        subscribers.map((e) => e.id),
        event,
      );
    });
    if (applied) this.dispatcher.wake();
  }
}
