#!/bin/sh
# Writes the broker's definitions (users and permissions) with the passwords from the
# environment, then starts RabbitMQ as the image would. definitions.json cannot read variables
# itself; the rendered copy stays inside the container's data directory.
set -eu

for name in RABBITMQ_ADMIN_PASSWORD RABBITMQ_TRANSACTIONS_PASSWORD RABBITMQ_AD_ENGINE_PASSWORD RABBITMQ_NOTIFICATIONS_PASSWORD; do
  value="$(printenv "$name" || true)"
  # Kept out of JSON escapes, sed and AMQP URLs (where they are written as they are).
  if ! printf '%s' "$value" | grep -Eq '^[A-Za-z0-9_-]{8,}$'; then
    echo "render-definitions: $name must be at least 8 characters of A-Z a-z 0-9 _ -" >&2
    exit 1
  fi
done

umask 077
sed \
  -e "s/\${RABBITMQ_ADMIN_PASSWORD}/$RABBITMQ_ADMIN_PASSWORD/" \
  -e "s/\${RABBITMQ_TRANSACTIONS_PASSWORD}/$RABBITMQ_TRANSACTIONS_PASSWORD/" \
  -e "s/\${RABBITMQ_AD_ENGINE_PASSWORD}/$RABBITMQ_AD_ENGINE_PASSWORD/" \
  -e "s/\${RABBITMQ_NOTIFICATIONS_PASSWORD}/$RABBITMQ_NOTIFICATIONS_PASSWORD/" \
  /etc/rabbitmq/definitions.json > /var/lib/rabbitmq/definitions.json
chown rabbitmq:rabbitmq /var/lib/rabbitmq/definitions.json 2>/dev/null || true

exec docker-entrypoint.sh rabbitmq-server
