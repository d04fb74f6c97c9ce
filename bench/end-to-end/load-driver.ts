import { randomInt } from 'node:crypto';
import { Agent, request } from 'undici';
import { CURRENCY, RunningChain } from './chain';

/** What one POST /transactions came back with. */
export interface Answer {
  status: number;
  /** The transaction id, for a 201. */
  id?: string;
  /** performance.now() when the answer was read. */
  at: number;
}

/**
 * The bench's HTTP client for one chain: deposits and withdrawals on random accounts. Withdrawals
 * are at most a tenth of the largest deposit, so with the opening balance they almost always pass;
 * a 422 insufficient-funds is counted, not retried.
 */
export class LoadDriver {
  private readonly agent = new Agent({ connections: 128, keepAliveTimeout: 30_000, pipelining: 1 });
  readonly statuses = new Map<number, number>();

  constructor(private readonly chain: RunningChain) {}

  async post(path: string, body: unknown): Promise<{ status: number; body: unknown }> {
    const response = await request(`${this.chain.apiUrl}${path}`, {
      method: 'POST',
      dispatcher: this.agent,
      headers: { 'content-type': 'application/json', authorization: `Bearer ${this.chain.apiKey}` },
      body: JSON.stringify(body),
    });
    const text = await response.body.text();
    return { status: response.statusCode, body: text ? JSON.parse(text) : undefined };
  }

  /** One random deposit or withdrawal. */
  async transact(): Promise<Answer> {
    const deposit = randomInt(2) === 0;
    const { status, body } = await this.post('/transactions', {
      accountId: this.chain.accountIds[randomInt(this.chain.accountIds.length)],
      type: deposit ? 'deposit' : 'withdrawal',
      amount: String(deposit ? randomInt(100, 50_000) : randomInt(100, 5_000)),
      currency: CURRENCY,
    });
    this.statuses.set(status, (this.statuses.get(status) ?? 0) + 1);
    return { status, id: status === 201 ? (body as { id: string }).id : undefined, at: performance.now() };
  }

  /** `inFlight` requests at a time, each sent as the previous one answers, for `seconds`. */
  async closedLoop(inFlight: number, seconds: number): Promise<Answer[]> {
    const answers: Answer[] = [];
    const until = performance.now() + seconds * 1000;
    await Promise.all(
      Array.from({ length: inFlight }, async () => {
        while (performance.now() < until) answers.push(await this.transact());
      }),
    );
    return answers;
  }

  /**
   * `rate` requests per second on a fixed schedule for `seconds`, whether or not earlier ones
   * answered (an open loop: a slow chain gets a queue, not a rest).
   */
  async openLoop(rate: number, seconds: number): Promise<Answer[]> {
    const answers: Promise<Answer>[] = [];
    const total = Math.round(rate * seconds);
    const started = performance.now();
    while (answers.length < total) {
      const due = Math.min(total, Math.floor(((performance.now() - started) * rate) / 1000) + 1);
      while (answers.length < due) answers.push(this.transact());
      await new Promise((resolve) => setTimeout(resolve, 2));
    }
    return Promise.all(answers);
  }

  close(): Promise<void> {
    return this.agent.close();
  }
}
