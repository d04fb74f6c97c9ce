import { ApiProperty } from '@nestjs/swagger';
import type { FundsRow } from './funds.repository';

/** What the engine has learned about an account's funds from `account.balance_updated` events. */
export class FundsView {
  @ApiProperty({ format: 'uuid' })
  accountId: string;

  @ApiProperty({ example: '1050', description: 'Minor units, as a string of digits' })
  balance: string;

  @ApiProperty({ example: 'EUR' })
  currency: string;

  @ApiProperty({ example: 3, description: 'The balance version of the newest event applied' })
  version: number;

  @ApiProperty({ example: '2026-01-02T03:04:05.000Z' })
  updatedAt: string;

  static of(row: FundsRow): FundsView {
    return {
      accountId: row.account_id,
      balance: row.balance,
      currency: row.currency,
      version: row.version,
      updatedAt: row.updated_at.toISOString(),
    };
  }
}
