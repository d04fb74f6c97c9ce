import { ProblemDto } from '@app/dto';
import { ApiCommonErrors, ParseIdPipe } from '@app/http';
import { Body, Controller, Get, HttpCode, Param, Patch, Post, Query } from '@nestjs/common';
import {
  ApiBadRequestResponse,
  ApiConflictResponse,
  ApiCreatedResponse,
  ApiNotFoundResponse,
  ApiOkResponse,
  ApiOperation,
  ApiTags,
  ApiUnprocessableEntityResponse,
} from '@nestjs/swagger';
import type { IdempotencyKey } from '../idempotency/idempotency-key';
import { Idempotent, RequestIdempotencyKey } from '../idempotency/idempotent.decorator';
import { CreateTransactionDto, ListTransactionsQuery, UpdateTransactionDto } from './transaction.dto';
import { TransactionPage, TransactionView } from './transaction.view';
import { TransactionsService } from './transactions.service';

@ApiTags('transactions')
@ApiCommonErrors()
@Controller('transactions')
export class TransactionsController {
  constructor(private readonly transactions: TransactionsService) {}

  @Post()
  @HttpCode(201)
  @ApiOperation({
    summary: 'Record a transaction; a completed one moves the balance at once',
    description:
      'Send an Idempotency-Key to make retries safe: the same key and body return the first answer again ' +
      '(with idempotent-replayed: true), another body with the same key gets 422, a key still executing gets 409.',
  })
  @Idempotent()
  @ApiCreatedResponse({ type: TransactionView })
  @ApiBadRequestResponse({ type: ProblemDto, description: 'Malformed body or failed validation' })
  @ApiNotFoundResponse({ type: ProblemDto, description: 'Unknown accountId' })
  @ApiConflictResponse({ type: ProblemDto, description: 'The Idempotency-Key is still executing' })
  @ApiUnprocessableEntityResponse({
    type: ProblemDto,
    description:
      'insufficient-funds, balance-limit-exceeded, currency-mismatch, or an Idempotency-Key reused with another body',
  })
  create(
    @Body() body: CreateTransactionDto,
    @RequestIdempotencyKey() key: IdempotencyKey | undefined,
  ): Promise<TransactionView> {
    return this.transactions.create(body, key);
  }

  @Get()
  @ApiOperation({ summary: 'List transactions, newest first, filtered by account, status and type' })
  @ApiOkResponse({ type: TransactionPage })
  list(@Query() query: ListTransactionsQuery): Promise<TransactionPage> {
    const { accountId, status, type, limit, cursor } = query;
    return this.transactions.list({ accountId, status, type }, limit, cursor);
  }

  @Get(':id')
  @ApiOkResponse({ type: TransactionView })
  @ApiNotFoundResponse({ type: ProblemDto })
  get(@Param('id', new ParseIdPipe('transaction')) id: string): Promise<TransactionView> {
    return this.transactions.get(id);
  }

  @Patch(':id')
  @ApiOperation({ summary: 'Change the status: pending -> completed | failed; completed -> reversed' })
  @ApiOkResponse({ type: TransactionView })
  @ApiNotFoundResponse({ type: ProblemDto })
  @ApiConflictResponse({ type: ProblemDto, description: 'invalid-transition' })
  @ApiUnprocessableEntityResponse({ type: ProblemDto, description: 'insufficient-funds or balance-limit-exceeded' })
  update(
    @Param('id', new ParseIdPipe('transaction')) id: string,
    @Body() body: UpdateTransactionDto,
  ): Promise<TransactionView> {
    return this.transactions.updateStatus(id, body.status);
  }
}
