import { buildEnvelope, EVENT_SOURCES, WebhookTestData } from '@app/contracts';
import type { Page } from '@app/persistence';
import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { randomUUID } from 'node:crypto';
import type { DataSource } from 'typeorm';
import { InjectConfig } from '@app/config';
import { COMMON_ERRORS, DomainError } from '@app/errors';
import type { NotificationsConfig } from '../config';
import { DeliveriesRepository } from '../deliveries/deliveries.repository';
import { DeliveryDispatcher } from '../deliveries/delivery-dispatcher';
import { DeliveryView } from '../deliveries/delivery.view';
import { ArchiveReplay } from '../deliveries/archive-replay';
import { UnreadableSecretError } from '../secrets/secret-box';
import { WebhookSecrets } from '../secrets/webhook-secrets';
import { assertAllowedTarget, TargetPolicy } from '../targets/target-policy';
import type { CreateEndpointDto, UpdateEndpointDto } from './endpoint.dto';
import { EndpointRow, EndpointView, EndpointWithSecretView } from '../endpoints/endpoint.view';
import { EndpointsRepository } from '../endpoints/endpoints.repository';
import { newWebhookSecret, PREVIOUS_SECRET_GRACE_MS } from './webhook-secret';

@Injectable()
export class EndpointsService {
  private readonly targets: TargetPolicy;

  constructor(
    @InjectConfig() config: NotificationsConfig,
    @InjectDataSource() private readonly dataSource: DataSource,
    private readonly endpoints: EndpointsRepository,
    private readonly deliveries: DeliveriesRepository,
    private readonly archiveReplay: ArchiveReplay,
    private readonly dispatcher: DeliveryDispatcher,
    private readonly secrets: WebhookSecrets,
  ) {
    this.targets = { allowPrivateTargets: config.WEBHOOK_ALLOW_PRIVATE_TARGETS, allowHttp: config.WEBHOOK_ALLOW_HTTP };
  }

  async create(dto: CreateEndpointDto): Promise<EndpointWithSecretView> {
    await assertAllowedTarget(dto.url, this.targets);
    const secret = newWebhookSecret();
    const row = await this.endpoints.insert({
      id: randomUUID(),
      url: dto.url,
      description: dto.description ?? null,
      event_types: dto.eventTypes ?? null,
      filter: dto.filter ?? null,
      ordering: dto.ordering ?? 'none',
      secret: this.secrets.seal(secret),
      created_at: new Date(),
    });
    return EndpointWithSecretView.withSecret(row, secret);
  }

  async get(id: string): Promise<EndpointView> {
    return EndpointView.of(await this.mustFind(id));
  }

  list(limit: number, cursor?: string): Promise<Page<EndpointView>> {
    return this.endpoints.list(limit, cursor);
  }

  async update(id: string, dto: UpdateEndpointDto): Promise<EndpointView> {
    if (dto.url !== undefined) await assertAllowedTarget(dto.url, this.targets);
    const row = await this.dataSource.transaction(async (manager) => {
      const current = await this.endpoints.lock(manager, id);
      if (!current) throw new DomainError(COMMON_ERRORS['not-found'], `No webhook endpoint ${id}`);
      const change: Partial<EndpointRow> = {};
      if (dto.url !== undefined) change.url = dto.url;
      if (dto.description !== undefined) change.description = dto.description;
      if (dto.eventTypes !== undefined) change.event_types = dto.eventTypes;
      if (dto.filter !== undefined) change.filter = dto.filter;
      if (dto.ordering !== undefined) change.ordering = dto.ordering;
      if (dto.enabled !== undefined) {
        change.enabled = dto.enabled;
        // Re-enabling starts afresh: no disabled reason, no failing streak.
        if (dto.enabled) Object.assign(change, { disabled_reason: null, failing_since: null });
      }
      return Object.keys(change).length ? this.endpoints.update(manager, id, change) : current;
    });
    if (dto.url !== undefined || dto.enabled !== undefined) await this.dispatcher.endpointChanged(id);
    else this.dispatcher.wake();
    return EndpointView.of(row);
  }

  async delete(id: string): Promise<void> {
    if (!(await this.endpoints.delete(id))) {
      throw new DomainError(COMMON_ERRORS['not-found'], `No webhook endpoint ${id}`);
    }
    await this.dispatcher.endpointChanged(id);
  }

  /** A new secret; the old one keeps signing, as a second signature, for 24 hours. */
  async rotateSecret(id: string): Promise<EndpointWithSecretView> {
    const secret = newWebhookSecret();
    const row = await this.dataSource.transaction(async (manager) => {
      const current = await this.endpoints.lock(manager, id);
      if (!current) throw new DomainError(COMMON_ERRORS['not-found'], `No webhook endpoint ${id}`);
      const previous = this.previousSecret(current.secret);
      return this.endpoints.update(manager, id, {
        secret: this.secrets.seal(secret),
        previous_secret: previous,
        previous_secret_expires_at: previous === null ? null : new Date(Date.now() + PREVIOUS_SECRET_GRACE_MS),
      });
    });
    // Deliveries claimed with the old secret alone are claimed again, to be signed with both.
    await this.dispatcher.reclaim(id);
    return EndpointWithSecretView.withSecret(row, secret);
  }

  /**
   * The rotated-out secret as it is to be stored: sealed with the current key, or none if no key
   * here can read it (rotating is how a user recovers from a lost key: it could not sign anyway).
   */
  private previousSecret(stored: string): string | null {
    try {
      return this.secrets.resealed(stored);
    } catch (error) {
      if (error instanceof UnreadableSecretError) return null;
      throw error;
    }
  }

  /** Sends a `webhook.test` event to this endpoint only. */
  async sendTest(id: string): Promise<DeliveryView> {
    const endpoint = await this.mustFind(id);
    const data: WebhookTestData = { webhookId: endpoint.id, message: 'This is a test event from the platform' };
    const event = buildEnvelope({
      source: EVENT_SOURCES.notifications,
      type: 'webhook.test',
      subject: endpoint.id,
      data,
    });
    const [deliveryId] = await this.deliveries.insertFor(undefined, [{ endpointId: endpoint.id, event }]);
    this.dispatcher.wake();
    return DeliveryView.of((await this.deliveries.find(deliveryId))!);
  }

  /** Re-sends every archived event at or after `since` that the endpoint's filters match. */
  async replay(id: string, since: string): Promise<{ replayed: number }> {
    return { replayed: await this.archiveReplay.replay(await this.mustFind(id), { since }) };
  }

  private async mustFind(id: string): Promise<EndpointRow> {
    const row = await this.endpoints.find(id);
    if (!row) throw new DomainError(COMMON_ERRORS['not-found'], `No webhook endpoint ${id}`);
    return row;
  }
}
