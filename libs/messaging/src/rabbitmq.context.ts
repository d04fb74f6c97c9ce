import { BaseRpcContext } from '@nestjs/microservices';
import type { ConsumeMessage } from 'amqplib';

type RabbitMqContextArgs = [message: ConsumeMessage, queue: string];

/** What a handler can learn about the delivery it is handling (`@Ctx() context: RabbitMqContext`). */
export class RabbitMqContext extends BaseRpcContext<RabbitMqContextArgs> {
  getMessage(): ConsumeMessage {
    return this.args[0];
  }

  getQueue(): string {
    return this.args[1];
  }

  /** True when the broker has delivered this message before (it may already be applied). */
  isRedelivered(): boolean {
    return this.args[0].fields.redelivered;
  }
}
