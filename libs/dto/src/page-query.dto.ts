import { ApiPropertyOptional } from '@nestjs/swagger';
import { IsInt, IsOptional, IsString, Max, MaxLength, Min } from 'class-validator';
import { ToDecimalInteger } from './decimal-integer';

/** `?limit=&cursor=` on every list (CONTRACT.md section 3). */
export class PageQueryDto {
  @ApiPropertyOptional({
    type: 'integer',
    minimum: 1,
    maximum: 100,
    default: 20,
    description: 'Items per page, a plain decimal integer',
  })
  @IsOptional()
  @ToDecimalInteger()
  @IsInt({ message: 'limit must be a decimal integer from 1 to 100' })
  @Min(1, { message: 'limit must be a decimal integer from 1 to 100' })
  @Max(100, { message: 'limit must be a decimal integer from 1 to 100' })
  limit: number = 20;

  @ApiPropertyOptional({ maxLength: 512, description: 'The nextCursor of the previous page, unaltered' })
  @IsOptional()
  @IsString()
  @MaxLength(512)
  cursor?: string;
}
