import { applyDecorators } from '@nestjs/common';
import { ApiProperty } from '@nestjs/swagger';
import { IsISO4217CurrencyCode, Matches } from 'class-validator';

const MESSAGE = '$property must be an ISO 4217 code in capitals, such as EUR or USD';

/** An ISO 4217 alphabetic code, upper case as the standard writes it ("EUR", not "eur"). */
export const IsCurrency = (description = 'ISO 4217 currency code') =>
  applyDecorators(
    ApiProperty({ example: 'EUR', pattern: '^[A-Z]{3}$', description }),
    Matches(/^[A-Z]{3}$/, { message: MESSAGE }),
    IsISO4217CurrencyCode({ message: MESSAGE }),
  );
