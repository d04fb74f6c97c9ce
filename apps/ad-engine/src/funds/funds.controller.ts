import { ProblemDto } from '@app/dto';
import { COMMON_ERRORS, DomainError } from '@app/errors';
import { ApiCommonErrors, ParseIdPipe } from '@app/http';
import { Controller, Get, Param } from '@nestjs/common';
import { ApiNotFoundResponse, ApiOkResponse, ApiOperation, ApiTags } from '@nestjs/swagger';
import { FundsRepository } from './funds.repository';
import { FundsView } from './funds.view';

@ApiTags('funds')
@ApiCommonErrors()
@Controller('funds')
export class FundsController {
  constructor(private readonly funds: FundsRepository) {}

  @Get(':accountId')
  @ApiOperation({ summary: 'The balance the engine has learned from events for this account' })
  @ApiOkResponse({ type: FundsView })
  @ApiNotFoundResponse({ type: ProblemDto, description: 'The engine has not heard of this account' })
  async get(@Param('accountId', new ParseIdPipe('account')) accountId: string): Promise<FundsView> {
    const row = await this.funds.find(accountId);
    if (!row) throw new DomainError(COMMON_ERRORS['not-found'], `The ad engine has not heard of account ${accountId}`);
    return FundsView.of(row);
  }
}
