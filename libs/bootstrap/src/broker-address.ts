/** Where RABBITMQ_URL points, without its credentials: the AMQP defaults fill what it leaves out. */
export function brokerOf(rabbitmqUrl: string): { protocol: 'amqp' | 'amqps'; host: string; vhost: string } {
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
