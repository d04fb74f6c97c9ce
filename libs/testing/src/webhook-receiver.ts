import { createServer, IncomingHttpHeaders, Server } from 'node:http';
import type { AddressInfo } from 'node:net';

export interface ReceivedWebhook {
  headers: IncomingHttpHeaders;
  body: string;
  receivedAt: number;
}

export interface ReceiverBehaviour {
  status: number;
  delayMs?: number;
  headers?: Record<string, string>;
  body?: string;
}

/**
 * A real HTTP endpoint on loopback that records what it receives and answers as the test tells
 * it (status, delay, headers), for webhook tests against the real sender.
 */
export class WebhookReceiver {
  readonly received: ReceivedWebhook[] = [];
  behaviour: ReceiverBehaviour | ((request: ReceivedWebhook, index: number) => ReceiverBehaviour) = { status: 204 };

  private readonly server: Server;
  private path = '/hooks';
  url = '';

  private constructor() {
    this.server = createServer((request, response) => {
      const chunks: Buffer[] = [];
      request.on('data', (chunk: Buffer) => chunks.push(chunk));
      request.on('end', () => {
        const received = {
          headers: request.headers,
          body: Buffer.concat(chunks).toString('utf8'),
          receivedAt: Date.now(),
        };
        const index = this.received.push(received) - 1;
        const behaviour = typeof this.behaviour === 'function' ? this.behaviour(received, index) : this.behaviour;
        const answer = () => {
          if (response.destroyed) return;
          response.writeHead(behaviour.status, behaviour.headers);
          response.end(behaviour.body ?? '');
        };
        if (behaviour.delayMs) setTimeout(answer, behaviour.delayMs);
        else answer();
      });
    });
  }

  static async start(path = '/hooks'): Promise<WebhookReceiver> {
    const receiver = new WebhookReceiver();
    receiver.path = path;
    await new Promise<void>((resolve) => receiver.server.listen(0, '127.0.0.1', resolve));
    const { port } = receiver.server.address() as AddressInfo;
    receiver.url = `http://127.0.0.1:${port}${receiver.path}`;
    return receiver;
  }

  async close(): Promise<void> {
    this.server.closeAllConnections();
    await new Promise((resolve) => this.server.close(resolve));
  }
}
