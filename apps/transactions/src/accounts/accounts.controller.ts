import { PageQueryDto, ProblemDto } from '@app/dto';
import { ApiCommonErrors, ParseIdPipe } from '@app/http';
import { Body, Controller, Get, HttpCode, Param, Post, Query } from '@nestjs/common';
import {
  ApiBadRequestResponse,
  ApiCreatedResponse,
  ApiNotFoundResponse,
  ApiOkResponse,
  ApiOperation,
  ApiTags,
} from '@nestjs/swagger';
import { AccountPage, AccountView } from './account.view';
import { AccountsService } from './accounts.service';
import { CreateAccountDto } from './create-account.dto';

@ApiTags('accounts')
@ApiCommonErrors()
@Controller('accounts')
export class AccountsController {
  constructor(private readonly accounts: AccountsService) {}

  @Post()
  @HttpCode(201)
  @ApiOperation({ summary: 'Open an account in one currency, with a zero balance' })
  @ApiCreatedResponse({ type: AccountView })
  @ApiBadRequestResponse({ type: ProblemDto })
  create(@Body() body: CreateAccountDto): Promise<AccountView> {
    return this.accounts.create(body);
  }

  @Get()
  @ApiOperation({ summary: 'List accounts, newest first' })
  @ApiOkResponse({ type: AccountPage })
  list(@Query() query: PageQueryDto): Promise<AccountPage> {
    return this.accounts.list(query.limit, query.cursor);
  }

  @Get(':id')
  @ApiOperation({ summary: 'An account with its current balance (completed transactions only)' })
  @ApiOkResponse({ type: AccountView })
  @ApiNotFoundResponse({ type: ProblemDto })
  get(@Param('id', new ParseIdPipe('account')) id: string): Promise<AccountView> {
    return this.accounts.get(id);
  }
}
