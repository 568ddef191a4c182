# syntax=docker/dockerfile:1
# One image for every service; docker-compose.yml picks the entry point with `command:`
# (e.g. `npx tsx subgraphs/identity/src/index.ts`, `npx tsx gateway/src/index.ts`).

FROM node:20-bookworm-slim AS base
WORKDIR /app
ENV NPM_CONFIG_UPDATE_NOTIFIER=false \
    NPM_CONFIG_FUND=false \
    NPM_CONFIG_AUDIT=false

# Only the manifests, at their workspace paths, so the `npm ci` layer below is reused
# until a package.json or the lockfile changes.
FROM base AS manifests
COPY . /src
RUN mkdir /manifests \
 && cd /src \
 && find . -name node_modules -prune -o \( -name package.json -o -name package-lock.json -o -name .npmrc \) -type f -print \
    | xargs cp --parents -t /manifests

FROM base AS deps
COPY --from=manifests /manifests/ ./
RUN npm ci

# Sources plus generated code (Prisma clients, GraphQL types).
FROM deps AS build
COPY . .
RUN npm run generate

FROM base AS runtime
ENV NODE_ENV=production
# No OpenTelemetry export is configured: skip @apollo/gateway's cloud metadata probe at start-up.
ENV METADATA_SERVER_DETECTION=none
# Code and dependencies stay root-owned (read-only to the service); only .data is writable.
COPY --from=build /app /app
RUN mkdir -p /app/.data && chown node:node /app/.data
USER node
EXPOSE 4000 4001
CMD ["npx", "tsx", "gateway/src/index.ts"]
