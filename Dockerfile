# One image recipe for all three apps of the platform:
#
#   docker build --build-arg APP=transactions  -t tep/transactions .
#   docker build --build-arg APP=ad-engine     -t tep/ad-engine .
#   docker build --build-arg APP=notifications -t tep/notifications .
#
# Stages: `deps` (every dependency, for the build), `build` (nest build <app>: webpack bundles,
# dist/apps/<app>/main.js and dlq-redrive.js, with node_modules left external), `prod-deps` (production dependencies
# only, which is what the bundle requires at run time), then a small runtime image per app
# (`app-<name>`: its port and its start command) of which the final stage picks the one named by APP.
#
# Works with BuildKit (docker compose v2, docker build) and with the classic builder
# (docker-compose 1.29): no RUN --mount, no syntax directive.

# Which app to build: transactions | ad-engine | notifications.
ARG APP=transactions

# Node.js 26, the Active LTS line (LTS since October 2026, end of life April 2029), on Debian 13:
# the Node.js images of 26 are built on trixie. CI also tests on Node.js 20, the oldest line that
# package.json's engines allows.

# ---------------------------------------------------------------------------------------------
FROM node:26-trixie-slim AS deps
WORKDIR /app
# Manifests first, so the npm ci layer is reused until package*.json change.
COPY package.json package-lock.json ./
# --ignore-scripts: package.json's allowScripts denies every install script (nx, @parcel/watcher,
# @scarf/scarf, @swc/core) and none is needed; not every npm reads allowScripts, so say it explicitly.
RUN npm ci --no-audit --no-fund --ignore-scripts

# ---------------------------------------------------------------------------------------------
FROM deps AS build
ARG APP
RUN case "$APP" in \
      transactions|ad-engine|notifications) ;; \
      *) echo "APP must be transactions, ad-engine or notifications (got '$APP')" >&2; exit 1 ;; \
    esac
COPY nest-cli.json tsconfig.json tsconfig.build.json webpack.config.js ./
COPY libs ./libs
COPY apps ./apps
COPY scripts/run-migrations.ts ./scripts/
# Type errors fail the build (ts-loader), as `npm run build` does. Beside main.js the bundle holds
# dlq-redrive.js, the operator's tool that moves dead-lettered messages back (README, "Redriving"),
# and migrate.js, which applies the app's migrations and exits (the Kubernetes migration Job).
RUN npx nest build "$APP" && test -f "dist/apps/$APP/main.js" && test -f "dist/apps/$APP/dlq-redrive.js" \
  && test -f "dist/apps/$APP/migrate.js"

# ---------------------------------------------------------------------------------------------
FROM node:26-trixie-slim AS prod-deps
WORKDIR /app
COPY package.json package-lock.json ./
RUN npm ci --omit=dev --no-audit --no-fund --ignore-scripts

# ---------------------------------------------------------------------------------------------
FROM node:26-trixie-slim AS runtime
ENV NODE_ENV=production
WORKDIR /app
# Owned by root and not writable by the app user: the app writes nothing to its own directory.
COPY --from=prod-deps /app/node_modules ./node_modules
# Signals: node runs as PID 1 (the CMD is exec form). PID 1 gets no default signal actions, but
# every app installs SIGTERM/SIGINT handlers (libs/bootstrap run-app.ts) that drain and exit 0,
# so `docker stop` works. Until those handlers are installed (during boot) a SIGTERM to PID 1 is
# ignored, and nothing reaps zombies; run with `docker run --init` / compose `init: true` (tini)
# to cover both; docker-compose.yml does.
USER node
# /health/ready answers 200 only when PostgreSQL and RabbitMQ are reachable. No curl in the slim
# image: Node.js has fetch. PORT is set per app below and can be overridden at run time.
HEALTHCHECK --interval=10s --timeout=5s --start-period=30s --retries=3 \
  CMD ["node", "-e", "fetch('http://127.0.0.1:'+(process.env.PORT||3000)+'/health/ready',{signal:AbortSignal.timeout(4000)}).then(r=>process.exit(r.ok?0:1)).catch(()=>process.exit(1))"]

# One small stage per app: its default port (the app's own default, CONTRACT.md section 1) and an
# exec-form start command, so no shell sits between Docker and node.
FROM runtime AS app-transactions
ENV PORT=3000
EXPOSE 3000
CMD ["node", "dist/apps/transactions/main.js"]

FROM runtime AS app-ad-engine
ENV PORT=3001
EXPOSE 3001
CMD ["node", "dist/apps/ad-engine/main.js"]

FROM runtime AS app-notifications
ENV PORT=3002
EXPOSE 3002
CMD ["node", "dist/apps/notifications/main.js"]

# ---------------------------------------------------------------------------------------------
FROM app-${APP}
ARG APP
ENV APP=${APP}
# Last, so that a code change rebuilds only this layer.
COPY --from=build /app/dist/apps/${APP} ./dist/apps/${APP}
