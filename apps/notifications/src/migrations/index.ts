import { CreateCursorKey1795731000000 } from './1795731000000-CreateCursorKey';
import { AddDeliveryClaimOwner1795720000000 } from './1795720000000-AddDeliveryClaimOwner';
import { CreateWebhooks1795632110734 } from './1795632110734-CreateWebhooks';
import { CreateCatchUpCursor1795720100000 } from './1795720100000-CreateCatchUpCursor';
import { DeliveryEnvelopeAsSent1795720300000 } from './1795720300000-DeliveryEnvelopeAsSent';
import { DueIndexWithoutClaims1795720400000 } from './1795720400000-DueIndexWithoutClaims';
import { CreateEventBackbone1795629948892 } from './1795629948892-CreateEventBackbone';
import { SealedWebhookSecrets1795720500000 } from './1795720500000-SealedWebhookSecrets';
import { ReplayedDeliveries1795732000000 } from './1795732000000-ReplayedDeliveries';
import { QueueTargetsAndOrdering1795740000000 } from './1795740000000-QueueTargetsAndOrdering';
import { DeadDeliveriesIndex1795750000000 } from './1795750000000-DeadDeliveriesIndex';
import { DeliveriesByEvent1795760000000 } from './1795760000000-DeliveriesByEvent';

// Every migration of this app, oldest first. Append-only once merged.
export const migrations = [
  CreateEventBackbone1795629948892,
  CreateWebhooks1795632110734,
  AddDeliveryClaimOwner1795720000000,
  CreateCatchUpCursor1795720100000,
  DeliveryEnvelopeAsSent1795720300000,
  DueIndexWithoutClaims1795720400000,
  SealedWebhookSecrets1795720500000,
  CreateCursorKey1795731000000,
  ReplayedDeliveries1795732000000,
  QueueTargetsAndOrdering1795740000000,
  DeadDeliveriesIndex1795750000000,
  DeliveriesByEvent1795760000000,
];
