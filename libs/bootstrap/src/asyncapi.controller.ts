import { InjectConfig, PlatformConfig } from '@app/config';
import { Public } from '@app/http';
import { MESSAGING_OPTIONS, MessagingModuleOptions } from '@app/messaging';
import { Controller, Get, Inject } from '@nestjs/common';
import { ApiExcludeController } from '@nestjs/swagger';
import { buildAppAsyncApiDocument } from './asyncapi-document';

/** The AsyncAPI 3 document of the platform's events, from this app's point of view. */
@ApiExcludeController()
@Public()
@Controller('asyncapi.json')
export class AsyncApiController {
  private readonly document: Record<string, unknown>;

  constructor(@Inject(MESSAGING_OPTIONS) options: MessagingModuleOptions, @InjectConfig() config: PlatformConfig) {
    this.document = buildAppAsyncApiDocument(options, config);
  }

  @Get()
  get(): Record<string, unknown> {
    return this.document;
  }
}
