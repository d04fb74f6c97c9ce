import { createServer, IncomingHttpHeaders, Server } from 'node:http';
import type { AddressInfo } from 'node:net';

export interface ReceivedWebhook {
  /** The request's path (and query): endpoints may share one receiver under different paths. */
  path: string;
  headers: IncomingHttpHeaders;
  body: string;
  receivedAt: number;
}

export interface ReceiverBehaviour {
  status: number;
  delayMs?: number;
  headers?: Record<string, string>;
  body?: string;
  /** Accepts the request and never answers (a hanging endpoint); the sender must time out. */
  hang?: boolean;
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
  /** Scheme, host and port: another path under it reaches the same receiver. */
  origin = '';

  private constructor() {
    this.server = createServer((request, response) => {
      const chunks: Buffer[] = [];
      request.on('data', (chunk: Buffer) => chunks.push(chunk));
      request.on('end', () => {
        const received = {
          path: request.url ?? '',
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
        if (behaviour.hang) return;
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
    receiver.origin = `http://127.0.0.1:${port}`;
    receiver.url = `${receiver.origin}${receiver.path}`;
    return receiver;
  }

  async close(): Promise<void> {
    this.server.closeAllConnections();
    await new Promise((resolve) => this.server.close(resolve));
  }
}
