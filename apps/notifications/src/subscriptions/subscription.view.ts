import { ApiProperty } from '@nestjs/swagger';
import { TargetColumns, TargetView } from '../endpoints/endpoint.view';

/** A subscription (`kind = 'queue'` in notifications.endpoints): its events go to `subscriptions.<queue>`. */
export interface SubscriptionRow extends TargetColumns {
  queue: string;
}

export class SubscriptionView extends TargetView {
  @ApiProperty({ example: 'large-eur-deposits', description: 'Events are forwarded to subscriptions.<queue>' })
  queue: string;

  static of(row: SubscriptionRow): SubscriptionView {
    return { ...TargetView.fieldsOf(row), queue: row.queue };
  }
}

export class SubscriptionPage {
  @ApiProperty({ type: [SubscriptionView] })
  data: SubscriptionView[];

  @ApiProperty({ type: String, nullable: true, example: null })
  nextCursor: string | null;
}
