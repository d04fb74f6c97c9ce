import type { WebhookDisabledData } from '@app/contracts';
import { OutboxWriter } from '@app/messaging';
import { Injectable } from '@nestjs/common';
import type { EntityManager } from 'typeorm';
import { DeliveriesRepository } from './deliveries.repository';
import { EndpointsRepository } from '../endpoints/endpoints.repository';

/**
 * Disables an endpoint that answered 410 Gone or kept failing, ends its open deliveries, and
 * announces it with `webhook.disabled`, all in the caller's transaction.
 */
@Injectable()
export class EndpointDisabler {
  constructor(
    private readonly endpoints: EndpointsRepository,
    private readonly deliveries: DeliveriesRepository,
    private readonly outbox: OutboxWriter,
  ) {}

  async disable(manager: EntityManager, endpointId: string, reason: 'gone' | 'failing'): Promise<void> {
    const endpoint = await this.endpoints.lock(manager, endpointId);
    if (!endpoint?.enabled) return;
    await this.endpoints.update(manager, endpointId, { enabled: false, disabled_reason: reason });
    await this.deliveries.killOpenDeliveries(manager, endpointId, `endpoint disabled (${reason})`);
    const data: WebhookDisabledData = { id: endpoint.id, url: endpoint.url, reason };
    await this.outbox.append(manager, [{ type: 'webhook.disabled', subject: endpoint.id, data }]);
  }
}
