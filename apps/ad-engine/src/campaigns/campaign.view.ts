import { ApiProperty } from '@nestjs/swagger';
import type { CampaignStatus } from './campaign-evaluation';

export interface CampaignRow {
  id: string;
  account_id: string;
  name: string;
  min_balance: string;
  status: CampaignStatus;
  created_at: Date;
  updated_at: Date;
}

export class CampaignView {
  @ApiProperty({ format: 'uuid' })
  id: string;

  @ApiProperty({ format: 'uuid' })
  accountId: string;

  @ApiProperty({ example: 'Winter sale' })
  name: string;

  @ApiProperty({ example: '1000', description: 'Minor units: the campaign runs while the balance is at least this' })
  minBalance: string;

  @ApiProperty({ enum: ['active', 'paused'] })
  status: CampaignStatus;

  @ApiProperty({ example: '2026-01-02T03:04:05.000Z' })
  createdAt: string;

  @ApiProperty({ example: '2026-01-02T03:04:05.000Z' })
  updatedAt: string;

  static of(row: CampaignRow): CampaignView {
    return {
      id: row.id,
      accountId: row.account_id,
      name: row.name,
      minBalance: row.min_balance,
      status: row.status,
      createdAt: row.created_at.toISOString(),
      updatedAt: row.updated_at.toISOString(),
    };
  }
}

export class CampaignPage {
  @ApiProperty({ type: [CampaignView] })
  data: CampaignView[];

  @ApiProperty({ type: String, nullable: true, example: null })
  nextCursor: string | null;
}
