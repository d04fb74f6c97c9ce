import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import type { DataSource } from 'typeorm';
import { EndpointDisabler } from './endpoint-disabler';
import { EndpointsRepository } from '../endpoints/endpoints.repository';

const FAILING_STREAK_LIMIT_MS = 5 * 24 * 3_600_000;

/** What an attempt knows of its endpoint's streak: when it started, as of the claim. */
export interface StreakAsClaimed {
  endpoint_id: string;
  failing_since: Date | null;
}

/**
 * An endpoint that fails every attempt for 5 days from the first failure of its current streak is
 * disabled (CONTRACT.md section 7); a success ends the streak. The streak as claimed with the
 * delivery says what to do, so a failure in an ongoing streak costs no query.
 */
@Injectable()
export class FailingStreak {
  constructor(
    @InjectDataSource() private readonly dataSource: DataSource,
    private readonly endpoints: EndpointsRepository,
    private readonly disabler: EndpointDisabler,
  ) {}

  async succeeded(claimed: StreakAsClaimed): Promise<void> {
    if (claimed.failing_since) await this.endpoints.endFailingStreak(claimed.endpoint_id);
  }

  /** Answers true when this failure disabled the endpoint. */
  async failed(claimed: StreakAsClaimed, at: Date): Promise<boolean> {
    if (!claimed.failing_since) {
      await this.endpoints.startFailingStreak(claimed.endpoint_id, at);
      return false;
    }
    if (at.getTime() - claimed.failing_since.getTime() < FAILING_STREAK_LIMIT_MS) return false;
    return this.dataSource.transaction(async (manager) => {
      // Re-read under the lock: a success may have ended the streak since the claim.
      const endpoint = await this.endpoints.lock(manager, claimed.endpoint_id);
      if (!endpoint?.failing_since || at.getTime() - endpoint.failing_since.getTime() < FAILING_STREAK_LIMIT_MS) {
        return false;
      }
      await this.disabler.disable(manager, claimed.endpoint_id, 'failing');
      return true;
    });
  }
}
