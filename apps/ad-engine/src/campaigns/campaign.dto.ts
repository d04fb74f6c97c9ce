import { IsMinorUnits, IsOptionalNotNull, PageQueryDto } from '@app/dto';
import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { Transform } from 'class-transformer';
import { IsIn, IsNotEmpty, IsOptional, IsString, IsUUID, Matches, MaxLength } from 'class-validator';
import type { CampaignStatus } from './campaign-evaluation';

const trim = ({ value }: { value: unknown }) => (typeof value === 'string' ? value.trim() : value);

export class CreateCampaignDto {
  @ApiProperty({ format: 'uuid', description: 'The advertiser account whose funds the campaign depends on' })
  @IsUUID('all', { message: 'accountId must be a UUID' })
  accountId: string;

  @ApiProperty({ example: 'Winter sale', maxLength: 200 })
  @Transform(trim)
  @IsString()
  @IsNotEmpty()
  @MaxLength(200)
  name: string;

  @IsMinorUnits('The campaign runs while the known balance is at least this (minor units)')
  minBalance: string;
}

export class UpdateCampaignDto {
  @ApiPropertyOptional({ example: 'Spring sale', maxLength: 200 })
  @IsOptionalNotNull()
  @Transform(trim)
  @IsString()
  @IsNotEmpty()
  @MaxLength(200)
  name?: string;

  @ApiPropertyOptional({ example: '2000', description: 'Minor units, as a string of digits' })
  @IsOptionalNotNull()
  @IsString({ message: 'minBalance must be a string of digits (minor units), e.g. "1050"' })
  @Matches(/^[1-9][0-9]{0,17}$/, { message: 'minBalance must be a string of 1 to 18 digits without leading zeros' })
  minBalance?: string;
}

export class ListCampaignsQuery extends PageQueryDto {
  @ApiPropertyOptional({ format: 'uuid' })
  @IsOptional()
  @IsUUID('all', { message: 'accountId must be a UUID' })
  accountId?: string;

  @ApiPropertyOptional({ enum: ['active', 'paused'] })
  @IsOptional()
  @IsIn(['active', 'paused'], { message: 'status must be active or paused' })
  status?: CampaignStatus;
}
