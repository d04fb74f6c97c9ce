import { Type } from 'class-transformer';
import { IsInt, IsOptional, IsString, MaxLength, Min, ValidateNested } from 'class-validator';

class ProbeNoteDto {
  @IsString()
  @MaxLength(5)
  text: string;
}

export class CreateProbeItemDto {
  @IsString()
  @MaxLength(10)
  name: string;

  @IsInt()
  @Min(1)
  quantity: number;

  @IsOptional()
  @ValidateNested()
  @Type(() => ProbeNoteDto)
  note?: ProbeNoteDto;
}

export class RecordProbeChangesDto {
  @IsString()
  @MaxLength(100)
  aggregate: string;

  @IsInt()
  @Min(1)
  count: number;
}
