import type { TransactionStatus, TransactionType } from '@app/contracts';
import { IsCurrency, IsMetadata, IsMinorUnits, IsOptionalNotNull, PageQueryDto } from '@app/dto';
import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { IsIn, IsOptional, IsString, IsUUID, MaxLength } from 'class-validator';
import { TRANSACTION_TYPES } from './transaction-rules';

const STATUSES: readonly TransactionStatus[] = ['pending', 'completed', 'failed', 'reversed'];

export class CreateTransactionDto {
  @ApiProperty({ format: 'uuid' })
  @IsUUID('all', { message: 'accountId must be a UUID' })
  accountId: string;

  @ApiProperty({
    enum: TRANSACTION_TYPES,
    description: 'deposit and refund add to the balance; withdrawal and charge subtract',
  })
  @IsIn(TRANSACTION_TYPES, { message: `type must be one of ${TRANSACTION_TYPES.join(', ')}` })
  type: TransactionType;

  @IsMinorUnits()
  amount: string;

  @IsCurrency("ISO 4217; must be the account's currency")
  currency: string;

  @ApiPropertyOptional({ enum: ['pending', 'completed'], default: 'completed' })
  @IsOptionalNotNull()
  @IsIn(['pending', 'completed'], { message: 'status must be pending or completed' })
  status?: 'pending' | 'completed';

  @ApiPropertyOptional({ maxLength: 500, example: 'Top-up' })
  @IsOptionalNotNull()
  @IsString()
  @MaxLength(500)
  description?: string;

  @IsMetadata()
  metadata?: Record<string, string>;
}

export class UpdateTransactionDto {
  @ApiProperty({
    enum: ['completed', 'failed', 'reversed'],
    description: 'pending -> completed | failed; completed -> reversed',
  })
  @IsIn(STATUSES, { message: `status must be one of ${STATUSES.join(', ')}` })
  status: TransactionStatus;
}

export class ListTransactionsQuery extends PageQueryDto {
  @ApiPropertyOptional({ format: 'uuid' })
  @IsOptional()
  @IsUUID('all', { message: 'accountId must be a UUID' })
  accountId?: string;

  @ApiPropertyOptional({ enum: STATUSES })
  @IsOptional()
  @IsIn(STATUSES, { message: `status must be one of ${STATUSES.join(', ')}` })
  status?: TransactionStatus;

  @ApiPropertyOptional({ enum: TRANSACTION_TYPES })
  @IsOptional()
  @IsIn(TRANSACTION_TYPES, { message: `type must be one of ${TRANSACTION_TYPES.join(', ')}` })
  type?: TransactionType;
}
