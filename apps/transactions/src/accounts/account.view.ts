import { ApiProperty } from '@nestjs/swagger';

export interface AccountRow {
  id: string;
  name: string;
  currency: string;
  balance: string;
  balance_version: number;
  created_at: Date;
  updated_at: Date;
}

/** An account as the API returns it; `balance` counts completed transactions only. */
export class AccountView {
  @ApiProperty({ format: 'uuid', example: '0b9c2f44-8a5e-4f53-a0a4-6c1d7e2f9a31' })
  id: string;

  @ApiProperty({ example: 'Acme Ltd' })
  name: string;

  @ApiProperty({ example: 'EUR', description: 'ISO 4217' })
  currency: string;

  @ApiProperty({ example: '1050', description: 'Minor units, as a string of digits' })
  balance: string;

  @ApiProperty({ example: '2026-01-02T03:04:05.000Z' })
  createdAt: string;

  @ApiProperty({ example: '2026-01-02T03:04:05.000Z' })
  updatedAt: string;

  static of(row: AccountRow): AccountView {
    return {
      id: row.id,
      name: row.name,
      currency: row.currency,
      balance: row.balance,
      createdAt: row.created_at.toISOString(),
      updatedAt: row.updated_at.toISOString(),
    };
  }
}

export class AccountPage {
  @ApiProperty({ type: [AccountView] })
  data: AccountView[];

  @ApiProperty({ type: String, nullable: true, example: null })
  nextCursor: string | null;
}
