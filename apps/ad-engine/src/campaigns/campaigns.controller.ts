import { ProblemDto } from '@app/dto';
import { ApiCommonErrors, ParseIdPipe } from '@app/http';
import { Body, Controller, Delete, Get, HttpCode, Param, Patch, Post, Query } from '@nestjs/common';
import {
  ApiBadRequestResponse,
  ApiCreatedResponse,
  ApiNoContentResponse,
  ApiNotFoundResponse,
  ApiOkResponse,
  ApiOperation,
  ApiTags,
} from '@nestjs/swagger';
import { CreateCampaignDto, ListCampaignsQuery, UpdateCampaignDto } from './campaign.dto';
import { CampaignPage, CampaignView } from './campaign.view';
import { CampaignsService } from './campaigns.service';

@ApiTags('campaigns')
@ApiCommonErrors()
@Controller('campaigns')
export class CampaignsController {
  constructor(private readonly campaigns: CampaignsService) {}

  @Post()
  @HttpCode(201)
  @ApiOperation({
    summary: 'Create a campaign; it is active at once if the known balance reaches minBalance',
    description: 'Publishes campaign.activated or campaign.paused for its initial status.',
  })
  @ApiCreatedResponse({ type: CampaignView })
  @ApiBadRequestResponse({ type: ProblemDto })
  create(@Body() body: CreateCampaignDto): Promise<CampaignView> {
    return this.campaigns.create(body);
  }

  @Get()
  @ApiOperation({ summary: 'List campaigns, newest first' })
  @ApiOkResponse({ type: CampaignPage })
  list(@Query() query: ListCampaignsQuery): Promise<CampaignPage> {
    return this.campaigns.list({ accountId: query.accountId, status: query.status }, query.limit, query.cursor);
  }

  @Get(':id')
  @ApiOkResponse({ type: CampaignView })
  @ApiNotFoundResponse({ type: ProblemDto })
  get(@Param('id', new ParseIdPipe('campaign')) id: string): Promise<CampaignView> {
    return this.campaigns.get(id);
  }

  @Patch(':id')
  @ApiOperation({ summary: 'Rename or change minBalance; re-evaluated at once (an event if the status flips)' })
  @ApiOkResponse({ type: CampaignView })
  @ApiNotFoundResponse({ type: ProblemDto })
  update(@Param('id', new ParseIdPipe('campaign')) id: string, @Body() body: UpdateCampaignDto): Promise<CampaignView> {
    return this.campaigns.update(id, body);
  }

  @Delete(':id')
  @HttpCode(204)
  @ApiNoContentResponse()
  @ApiNotFoundResponse({ type: ProblemDto })
  delete(@Param('id', new ParseIdPipe('campaign')) id: string): Promise<void> {
    return this.campaigns.delete(id);
  }
}
