#!/usr/bin/env bash
# Makes sure the PostgreSQL and RabbitMQ (with its management API, which the tests use to create
# and drop a vhost per test file) that the tests need are reachable; starts local ones if they
# are installed but down; fails with a clear message otherwise.
set -uo pipefail

PGHOST_ADDR="${PGHOST_ADDR:-127.0.0.1}"
PGPORT="${PGPORT:-5432}"
RABBIT_HOST="${RABBIT_HOST:-127.0.0.1}"
RABBIT_PORT="${RABBIT_PORT:-5672}"
RABBIT_MGMT_PORT="${RABBIT_MGMT_PORT:-15672}"

port_open() { (exec 3<>"/dev/tcp/$1/$2") 2>/dev/null; }

wait_for() { # name host port seconds
  for _ in $(seq 1 "$4"); do port_open "$2" "$3" && return 0; sleep 1; done
  return 1
}

if ! port_open "$PGHOST_ADDR" "$PGPORT"; then
  if command -v pg_ctlcluster >/dev/null 2>&1 && [ -d /etc/postgresql ]; then
    echo "PostgreSQL is down; starting the local cluster"
    pg_ctlcluster --skip-systemctl-redirect "$(find /etc/postgresql -mindepth 1 -maxdepth 1 -printf '%f\n' | sort | head -n 1)" main start || true
  fi
  wait_for PostgreSQL "$PGHOST_ADDR" "$PGPORT" 30 || {
    echo "error: PostgreSQL is not reachable at $PGHOST_ADDR:$PGPORT (start it, or set PGHOST_ADDR/PGPORT)" >&2
    exit 1
  }
fi
echo "PostgreSQL is up at $PGHOST_ADDR:$PGPORT"

if ! port_open "$RABBIT_HOST" "$RABBIT_PORT"; then
  if command -v rabbitmq-server >/dev/null 2>&1; then
    echo "RabbitMQ is down; starting it"
    rabbitmq-server -detached || true
  fi
  wait_for RabbitMQ "$RABBIT_HOST" "$RABBIT_PORT" 60 || {
    echo "error: RabbitMQ is not reachable at $RABBIT_HOST:$RABBIT_PORT (start it, or set RABBIT_HOST/RABBIT_PORT)" >&2
    exit 1
  }
fi
echo "RabbitMQ is up at $RABBIT_HOST:$RABBIT_PORT"

if ! port_open "$RABBIT_HOST" "$RABBIT_MGMT_PORT"; then
  if command -v rabbitmq-plugins >/dev/null 2>&1; then
    echo "Enabling the RabbitMQ management plugin (offline, bundled with the broker)"
    rabbitmq-plugins enable rabbitmq_management >/dev/null || true
  fi
  wait_for "RabbitMQ management" "$RABBIT_HOST" "$RABBIT_MGMT_PORT" 60 || {
    echo "error: the RabbitMQ management API is not reachable at $RABBIT_HOST:$RABBIT_MGMT_PORT; tests need it" >&2
    echo "       (rabbitmq-plugins enable rabbitmq_management)" >&2
    exit 1
  }
fi
echo "RabbitMQ management API is up at $RABBIT_HOST:$RABBIT_MGMT_PORT"
