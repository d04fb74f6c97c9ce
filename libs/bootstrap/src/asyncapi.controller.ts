import { InjectConfig, PlatformConfig } from '@app/config';
import { buildAsyncApiDocument, ExchangeName } from '@app/contracts';
import { Public } from '@app/http';
import { MESSAGING_OPTIONS, MessagingModuleOptions } from '@app/messaging';
import { Controller, Get, Inject } from '@nestjs/common';
import { ApiExcludeController } from '@nestjs/swagger';

/** The AsyncAPI 3 document of the platform's events, from this app's point of view. */
@ApiExcludeController()
@Public()
@Controller('asyncapi.json')
export class AsyncApiController {
  private readonly document: Record<string, unknown>;

  constructor(@Inject(MESSAGING_OPTIONS) options: MessagingModuleOptions, @InjectConfig() config: PlatformConfig) {
    this.document = buildAsyncApiDocument({
      title: `${options.appName} events`,
      version: process.env.APP_VERSION ?? '0.1.0',
      exchange: options.exchange as ExchangeName,
      broker: brokerOf(config.RABBITMQ_URL),
    });
  }

  @Get()
  get(): Record<string, unknown> {
    return this.document;
  }
}

/** Where RABBITMQ_URL points, without its credentials: the AMQP defaults fill what it leaves out. */
function brokerOf(rabbitmqUrl: string): { protocol: 'amqp' | 'amqps'; host: string; vhost: string } {
  const url = new URL(rabbitmqUrl);
  const protocol = url.protocol === 'amqps:' ? 'amqps' : 'amqp';
  const port = url.port || (protocol === 'amqps' ? '5671' : '5672');
  return { protocol, host: `${url.hostname}:${port}`, vhost: vhostOf(url.pathname.slice(1)) };
}

/** The vhost an AMQP URI's path names (empty: the default `/`); a malformed escape is kept as written. */
function vhostOf(path: string): string {
  try {
    return decodeURIComponent(path) || '/';
  } catch {
    return path;
  }
}
