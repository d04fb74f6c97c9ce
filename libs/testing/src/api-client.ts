import request from 'supertest';

/** Thin helpers over supertest, with the set-up calls most tests need (accounts, transactions). */
export class ApiClient {
  constructor(
    readonly url: string,
    private readonly apiKey?: string,
  ) {}

  private auth(test: request.Test): request.Test {
    return this.apiKey ? test.set('authorization', `Bearer ${this.apiKey}`) : test;
  }

  post(path: string, body: unknown, headers: Record<string, string> = {}): request.Test {
    return this.auth(
      request(this.url)
        .post(path)
        .set(headers)
        .send(body as object),
    );
  }

  patch(path: string, body: unknown): request.Test {
    return this.auth(
      request(this.url)
        .patch(path)
        .send(body as object),
    );
  }

  delete(path: string): request.Test {
    return this.auth(request(this.url).delete(path));
  }

  get(path: string, query: Record<string, string | number> = {}): request.Test {
    return this.auth(request(this.url).get(path).query(query));
  }

  async openAccount(currency = 'EUR', name = 'Test account'): Promise<{ id: string; balance: string }> {
    const response = await this.post('/accounts', { name, currency });
    if (response.status !== 201) throw new Error(`openAccount: ${response.status} ${JSON.stringify(response.body)}`);
    return response.body;
  }

  async record(body: Record<string, unknown>): Promise<{ id: string; status: string; amount: string }> {
    const response = await this.post('/transactions', { currency: 'EUR', ...body });
    if (response.status !== 201) throw new Error(`record: ${response.status} ${JSON.stringify(response.body)}`);
    return response.body;
  }

  async balance(accountId: string): Promise<string> {
    return (await this.get(`/accounts/${accountId}`)).body.balance as string;
  }
}
