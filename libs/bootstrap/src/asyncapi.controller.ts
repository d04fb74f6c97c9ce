import { InjectConfig, PlatformConfig } from '@app/config';
import { buildAsyncApiDocument, ExchangeName } from '@app/contracts';
import { Public } from '@app/http';
import { MESSAGING_OPTIONS, MessagingModuleOptions } from '@app/messaging';
import { Controller, Get, Inject, OnModuleInit } from '@nestjs/common';
import { ApiExcludeController } from '@nestjs/swagger';
import { brokerOf } from './broker-address';
import { ConsumerDiscovery } from './consumer-discovery';

/** The AsyncAPI 3 document of the platform's events, from this app's point of view. */
@ApiExcludeController()
@Public()
@Controller('asyncapi.json')
export class AsyncApiController implements OnModuleInit {
  private document: Record<string, unknown> = {};

  constructor(
    @Inject(MESSAGING_OPTIONS) private readonly options: MessagingModuleOptions,
    @InjectConfig() private readonly config: PlatformConfig,
    private readonly consumers: ConsumerDiscovery,
  ) {}

  /** Once every module is scanned, so that the consumers of all of them are found. */
  onModuleInit(): void {
    this.document = buildAsyncApiDocument({
      title: `${this.options.appName} events`,
      version: process.env.APP_VERSION ?? '0.1.0',
      exchange: this.options.exchange as ExchangeName,
      broker: brokerOf(this.config.RABBITMQ_URL),
      receives: this.consumers.consumers(),
    });
  }

  @Get()
  get(): Record<string, unknown> {
    return this.document;
  }
}
