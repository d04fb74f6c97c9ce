import { applyDecorators } from '@nestjs/common';
import { ApiProperty } from '@nestjs/swagger';
import { IsString, Matches } from 'class-validator';

/** Integer minor units as a string of digits: at least "1", no leading zeros, at most 18 digits. */
export const MINOR_UNITS = /^[1-9][0-9]{0,17}$/;

export const IsMinorUnits = (description = 'Amount in minor units of the currency ("1050" is 10.50)') =>
  applyDecorators(
    ApiProperty({ type: String, example: '1050', pattern: MINOR_UNITS.source, description }),
    IsString({ message: '$property must be a string of digits (minor units), e.g. "1050"' }),
    Matches(MINOR_UNITS, {
      message: '$property must be a string of 1 to 18 digits without leading zeros, e.g. "1050"',
    }),
  );
