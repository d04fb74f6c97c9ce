import type { EventPattern } from '@app/contracts';
import {
  FILTER_DESCRIPTION,
  FILTER_RESET,
  IsEventPattern,
  IsEventTypes,
  IsOrdering,
  IsTargetDescription,
} from './endpoint-fields';
import type { Ordering } from './endpoint.view';

/** What a webhook and a subscription both take when created: which events, in what order. */
export class CreateTargetFields {
  @IsEventTypes({ description: 'Topic patterns on event types (* one word, # any). Missing: every event.' })
  eventTypes?: string[];

  @IsEventPattern({ description: FILTER_DESCRIPTION })
  filter?: EventPattern;

  @IsOrdering()
  ordering?: Ordering;

  @IsTargetDescription()
  description?: string;
}

/**
 * ...and when changed. null is refused like everywhere the contract does not make it a value
 * (section 3): ["#"] is every event again, "" no description.
 */
export class UpdateTargetFields {
  @IsEventTypes({ description: 'Topic patterns on event types (* one word, # any); ["#"]: every event' })
  eventTypes?: string[];

  @IsEventPattern({ description: `${FILTER_DESCRIPTION} ${FILTER_RESET}` })
  filter?: EventPattern;

  @IsOrdering()
  ordering?: Ordering;

  @IsTargetDescription({ description: '"": none' })
  description?: string;
}
