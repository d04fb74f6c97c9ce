import type { TransactionData, TransactionStatus, TransactionType } from '@app/contracts';
import { ApiProperty } from '@nestjs/swagger';

export interface TransactionRow {
  id: string;
  account_id: string;
  type: TransactionType;
  amount: string;
  currency: string;
  status: TransactionStatus;
  description: string | null;
  metadata: Record<string, string>;
  created_at: Date;
  updated_at: Date;
}

/** A transaction as the API returns it and as `transaction.*` events carry it. */
export class TransactionView implements TransactionData {
  @ApiProperty({ format: 'uuid' })
  id: string;

  @ApiProperty({ format: 'uuid' })
  accountId: string;

  @ApiProperty({ enum: ['deposit', 'withdrawal', 'charge', 'refund'], example: 'deposit' })
  type: TransactionType;

  @ApiProperty({ example: '1050', description: 'Minor units, as a string of digits' })
  amount: string;

  @ApiProperty({ example: 'EUR' })
  currency: string;

  @ApiProperty({ enum: ['pending', 'completed', 'failed', 'reversed'], example: 'completed' })
  status: TransactionStatus;

  @ApiProperty({ type: String, nullable: true, example: 'Top-up' })
  description: string | null;

  @ApiProperty({ type: 'object', additionalProperties: { type: 'string' }, example: { orderId: 'A-1001' } })
  metadata: Record<string, string>;

  @ApiProperty({ example: '2026-01-02T03:04:05.000Z' })
  createdAt: string;

  @ApiProperty({ example: '2026-01-02T03:04:05.000Z' })
  updatedAt: string;

  static of(row: TransactionRow): TransactionView {
    return {
      id: row.id,
      accountId: row.account_id,
      type: row.type,
      amount: row.amount,
      currency: row.currency,
      status: row.status,
      description: row.description,
      metadata: row.metadata,
      createdAt: row.created_at.toISOString(),
      updatedAt: row.updated_at.toISOString(),
    };
  }
}

export class TransactionPage {
  @ApiProperty({ type: [TransactionView] })
  data: TransactionView[];

  @ApiProperty({ type: String, nullable: true, example: null })
  nextCursor: string | null;
}
