import { createServer, Server } from 'node:http';
import type { AddressInfo } from 'node:net';

/**
 * The webhook endpoint both chains deliver to: a real HTTP server on loopback in the bench
 * process that answers 204 at once and records when each `transaction.created` arrived, by
 * transaction id (the event's `data.id`, which is the id the API answered with). It checks that
 * the delivery is signed but does not verify the signature: that would put the bench's own CPU
 * into the latency being measured.
 */
export class WebhookArrivals {
  /** Transaction id -> first arrival, performance.now() of this process. */
  readonly arrivedAt = new Map<string, number>();
  /** Every arrival's time, in order, for arrivals per second over a window. */
  readonly arrivalTimes: number[] = [];
  unsigned = 0;
  duplicates = 0;
  url = '';
  private readonly server: Server;

  private constructor() {
    this.server = createServer((request, response) => {
      const chunks: Buffer[] = [];
      request.on('data', (chunk: Buffer) => chunks.push(chunk));
      request.on('end', () => {
        const now = performance.now();
        if (!request.headers['webhook-signature'] || !request.headers['webhook-id']) this.unsigned++;
        const event = JSON.parse(Buffer.concat(chunks).toString('utf8')) as { type: string; data: { id: string } };
        if (event.type === 'transaction.created') {
          if (this.arrivedAt.has(event.data.id)) this.duplicates++;
          else {
            this.arrivedAt.set(event.data.id, now);
            this.arrivalTimes.push(now);
          }
        }
        response.writeHead(204).end();
      });
    });
    this.server.keepAliveTimeout = 30_000;
  }

  static async start(): Promise<WebhookArrivals> {
    const arrivals = new WebhookArrivals();
    await new Promise<void>((resolve) => arrivals.server.listen(0, '127.0.0.1', resolve));
    arrivals.url = `http://127.0.0.1:${(arrivals.server.address() as AddressInfo).port}/hooks`;
    return arrivals;
  }

  /** Arrivals per second between two instants (performance.now()). */
  ratePerSecond(from: number, to: number): number {
    const count = this.arrivalTimes.filter((at) => at >= from && at < to).length;
    return (count / (to - from)) * 1000;
  }

  /** Resolves once every id has arrived; after `timeoutMs`, answers how many had not. */
  async waitFor(ids: Iterable<string>, timeoutMs: number): Promise<number> {
    const pending = new Set(ids);
    const deadline = Date.now() + timeoutMs;
    for (;;) {
      for (const id of pending) if (this.arrivedAt.has(id)) pending.delete(id);
      if (pending.size === 0 || Date.now() > deadline) return pending.size;
      await new Promise((resolve) => setTimeout(resolve, 50));
    }
  }

  async close(): Promise<void> {
    this.server.closeAllConnections();
    await new Promise((resolve) => this.server.close(resolve));
  }
}
