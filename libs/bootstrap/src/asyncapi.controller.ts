import { InjectConfig, PlatformConfig } from '@app/config';
import { Public } from '@app/http';
import { MESSAGING_OPTIONS, MessagingModuleOptions } from '@app/messaging';
import { Controller, Get, Inject, OnModuleInit } from '@nestjs/common';
import { ModulesContainer } from '@nestjs/core';
import { ApiExcludeController } from '@nestjs/swagger';
import { buildAppAsyncApiDocument } from './asyncapi-document';
import { consumersOf } from './consumer-discovery';

/** The AsyncAPI 3 document of the platform's events, from this app's point of view. */
@ApiExcludeController()
@Public()
@Controller('asyncapi.json')
export class AsyncApiController implements OnModuleInit {
  private document: Record<string, unknown> = {};

  constructor(
    @Inject(MESSAGING_OPTIONS) private readonly options: MessagingModuleOptions,
    @InjectConfig() private readonly config: PlatformConfig,
    private readonly modules: ModulesContainer,
  ) {}

  /** Once every module is scanned, so that the consumers of all of them are found. */
  onModuleInit(): void {
    this.document = buildAppAsyncApiDocument(this.options, this.config, consumersOf(this.modules));
  }

  @Get()
  get(): Record<string, unknown> {
    return this.document;
  }
}
