/**
 * The RabbitMQ management HTTP API, for what AMQP itself cannot do: create and drop vhosts, and
 * kill connections to prove that apps recover. Works the same against a local broker and the
 * `rabbitmq:management` service container in GitHub Actions.
 */
export class RabbitMqAdmin {
  private readonly authorization: string;

  constructor(private readonly baseUrl: string) {
    const parsed = new URL(baseUrl);
    this.authorization = `Basic ${Buffer.from(`${decodeURIComponent(parsed.username)}:${decodeURIComponent(parsed.password)}`).toString('base64')}`;
    parsed.username = '';
    parsed.password = '';
    this.baseUrl = parsed.toString().replace(/\/$/, '');
  }

  static fromEnv(): RabbitMqAdmin {
    return new RabbitMqAdmin(process.env.RABBITMQ_MANAGEMENT_URL ?? 'http://guest:guest@127.0.0.1:15672');
  }

  async createVhost(vhost: string): Promise<void> {
    await this.request('PUT', `/api/vhosts/${encodeURIComponent(vhost)}`);
    await this.request('PUT', `/api/permissions/${encodeURIComponent(vhost)}/guest`, {
      configure: '.*',
      write: '.*',
      read: '.*',
    });
  }

  /** A user with no tags (no management UI) and no permissions yet. Users are broker-wide. */
  async createUser(name: string, password: string): Promise<void> {
    await this.request('PUT', `/api/users/${encodeURIComponent(name)}`, { password, tags: '' });
  }

  async deleteUser(name: string): Promise<void> {
    await this.request('DELETE', `/api/users/${encodeURIComponent(name)}`);
  }

  /** Sets a user's three permission regexes on one vhost (RabbitMQ access control). */
  async setPermissions(
    vhost: string,
    user: string,
    permissions: { configure: string; write: string; read: string },
  ): Promise<void> {
    await this.request('PUT', `/api/permissions/${encodeURIComponent(vhost)}/${encodeURIComponent(user)}`, permissions);
  }

  async deleteVhost(vhost: string): Promise<void> {
    await this.request('DELETE', `/api/vhosts/${encodeURIComponent(vhost)}`);
  }

  async connections(vhost: string): Promise<{ name: string; client_properties?: { connection_name?: string } }[]> {
    return (await this.request('GET', `/api/vhosts/${encodeURIComponent(vhost)}/connections`)) as never;
  }

  /**
   * Force-closes the client connections to the vhost, as a broker restart would; only those with
   * the given connection name (an app's name) when one is given.
   */
  async closeConnections(vhost: string, connectionName?: string): Promise<number> {
    const connections = (await this.connections(vhost)).filter(
      (connection) => !connectionName || connection.client_properties?.connection_name === connectionName,
    );
    for (const { name } of connections) {
      await this.request('DELETE', `/api/connections/${encodeURIComponent(name)}`).catch(() => undefined);
    }
    return connections.length;
  }

  async exchange(
    vhost: string,
    exchange: string,
  ): Promise<{ type: string; durable: boolean; arguments: Record<string, unknown> }> {
    return (await this.request(
      'GET',
      `/api/exchanges/${encodeURIComponent(vhost)}/${encodeURIComponent(exchange)}`,
    )) as never;
  }

  async queue(vhost: string, queue: string): Promise<{ arguments: Record<string, unknown>; messages?: number } | null> {
    try {
      return (await this.request(
        'GET',
        `/api/queues/${encodeURIComponent(vhost)}/${encodeURIComponent(queue)}`,
      )) as never;
    } catch (error) {
      if ((error as { status?: number }).status === 404) return null;
      throw error;
    }
  }

  private async request(method: string, path: string, body?: unknown): Promise<unknown> {
    const response = await fetch(`${this.baseUrl}${path}`, {
      method,
      headers: { authorization: this.authorization, 'content-type': 'application/json' },
      body: body === undefined ? undefined : JSON.stringify(body),
    });
    if (!response.ok) {
      const error = new Error(`RabbitMQ management API ${method} ${path}: ${response.status}`);
      Object.assign(error, { status: response.status });
      throw error;
    }
    const text = await response.text();
    return text ? JSON.parse(text) : undefined;
  }
}
