import type { EventEnvelope } from '@app/contracts';
import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import type { DataSource } from 'typeorm';
import type { DeliveryStatus } from '../deliveries/delivery.view';
import type { DeliveryTrail } from './event-trace';

/** What notifications' own tables hold of one event, beside its outbox and inbox (EventRecords). */
@Injectable()
export class TraceRepository {
  constructor(@InjectDataSource() private readonly dataSource: DataSource) {}

  /**
   * The envelope as notifications received it: from the archive, or (once the archive has
   * pruned it, EVENT_RETENTION) from a delivery that still carries it.
   */
  async received(id: string): Promise<EventEnvelope | undefined> {
    const [row] = await this.dataSource.query<{ envelope: EventEnvelope | null }[]>(
      `SELECT COALESCE(
         (SELECT envelope FROM notifications.event_archive WHERE event_id = $1),
         (SELECT envelope::jsonb FROM notifications.deliveries WHERE event_id = $1 LIMIT 1)) AS envelope`,
      [id],
    );
    return row.envelope ?? undefined;
  }

  /** The event's deliveries (webhooks and subscriptions), oldest first, each with its attempts oldest first. */
  async deliveries(id: string): Promise<DeliveryTrail[]> {
    const deliveries = await this.dataSource.query<
      { id: string; endpoint_id: string; kind: DeliveryTrail['kind']; status: DeliveryStatus }[]
    >(
      `SELECT d.id, d.endpoint_id, e.kind, d.status
       FROM notifications.deliveries d JOIN notifications.endpoints e ON e.id = d.endpoint_id
       WHERE d.event_id = $1 ORDER BY d.created_at, d.id`,
      [id],
    );
    if (deliveries.length === 0) return [];
    const attempts = await this.dataSource.query<
      {
        delivery_id: string;
        attempted_at: Date;
        status_code: number | null;
        duration_ms: number;
        error: string | null;
      }[]
    >(
      `SELECT delivery_id, attempted_at, status_code, duration_ms, error FROM notifications.delivery_attempts
       WHERE delivery_id = ANY($1::uuid[]) ORDER BY id`,
      [deliveries.map((delivery) => delivery.id)],
    );
    return deliveries.map((delivery) => ({
      endpointId: delivery.endpoint_id,
      kind: delivery.kind,
      status: delivery.status,
      attempts: attempts
        .filter((attempt) => attempt.delivery_id === delivery.id)
        .map((attempt) => ({
          at: attempt.attempted_at,
          statusCode: attempt.status_code,
          durationMs: attempt.duration_ms,
          error: attempt.error,
        })),
    }));
  }
}
