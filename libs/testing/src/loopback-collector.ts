import { createServer, IncomingMessage, Server, ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { gunzipSync } from 'node:zlib';

/**
 * An HTTP server on loopback that reads each request whole (gunzipped when the SDK compressed
 * it) and hands it to `handle`: what the test stand-ins for telemetry collectors (Sentry, OTLP)
 * share. `origin` is `http://127.0.0.1:<port>` once started.
 */
export class LoopbackCollector {
  origin = '';
  private readonly server: Server;

  private constructor(handle: (request: IncomingMessage, text: string, response: ServerResponse) => void) {
    this.server = createServer((request, response) => {
      const chunks: Buffer[] = [];
      request.on('data', (chunk: Buffer) => chunks.push(chunk));
      request.on('end', () => {
        const body = Buffer.concat(chunks);
        const text = (request.headers['content-encoding'] === 'gzip' ? gunzipSync(body) : body).toString('utf8');
        handle(request, text, response);
      });
    });
  }

  static async start(
    handle: (request: IncomingMessage, text: string, response: ServerResponse) => void,
  ): Promise<LoopbackCollector> {
    const collector = new LoopbackCollector(handle);
    await new Promise<void>((resolve) => collector.server.listen(0, '127.0.0.1', resolve));
    collector.origin = `http://127.0.0.1:${(collector.server.address() as AddressInfo).port}`;
    return collector;
  }

  async close(): Promise<void> {
    this.server.closeAllConnections();
    await new Promise((resolve) => this.server.close(resolve));
  }
}
