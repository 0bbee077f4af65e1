# syntax=docker/dockerfile:1
# Breakwater container image: one image for every role (api, worker, all) and for `migrate`.
#
#   docker build -t breakwater:0.1.0 .
#   docker run --rm -p 8080:8080 -v breakwater-data:/data breakwater:0.1.0          # embedded shape (SQLite in /data)
#   docker run --rm breakwater:0.1.0 serve --role worker --config /etc/breakwater/breakwater.yaml
#
# Three stages share one Debian bookworm base, so the better-sqlite3 binary built in `deps`
# runs unchanged in `runtime` (same glibc, same Node ABI). Pin NODE_VERSION (or a digest) per
# release; see docs/deployment.md.
ARG NODE_VERSION=20.20.2

# --- deps: every dependency, dev ones included (tsc), with native modules built -------------
FROM node:${NODE_VERSION}-bookworm-slim AS deps
WORKDIR /app
# better-sqlite3 downloads a prebuilt binary when one matches; these tools are its fallback
# (node-gyp) and stay in this stage only.
RUN apt-get update \
 && apt-get install -y --no-install-recommends python3 make g++ ca-certificates \
 && rm -rf /var/lib/apt/lists/*
COPY package.json package-lock.json ./
# --ignore-scripts: `npm ci` would otherwise run our `prepare` script (the build) before the
# sources are here, and install scripts of dev tools we do not need. Only better-sqlite3
# needs its install script, so it is rebuilt on its own.
RUN npm ci --ignore-scripts --no-audit --no-fund \
 && npm rebuild better-sqlite3 \
 && node -e "new (require('better-sqlite3'))(':memory:').close()"

# --- build: compile TypeScript, then drop dev dependencies -----------------------------------
FROM deps AS build
COPY tsconfig.json tsconfig.build.json ./
COPY scripts/copy-assets.mjs ./scripts/copy-assets.mjs
COPY src ./src
# The dashboard's source: `npm run build` bundles it into dist/ui (its libraries are devDependencies).
COPY ui ./ui
RUN npm run build \
 && npm prune --omit=dev --ignore-scripts --no-audit --no-fund

# --- runtime: production node_modules + dist, no compilers, non-root -------------------------
FROM node:${NODE_VERSION}-bookworm-slim AS runtime
ENV NODE_ENV=production \
    HOST=0.0.0.0 \
    PORT=8080
WORKDIR /app
# uid/gid 10001: outside the range of the base image's users, numeric so that Kubernetes'
# runAsNonRoot can verify it.
RUN groupadd --system --gid 10001 breakwater \
 && useradd --system --uid 10001 --gid breakwater --no-create-home --home-dir /nonexistent --shell /usr/sbin/nologin breakwater \
 && mkdir -p /data \
 && chown 10001:10001 /data \
 && ln -s /data /app/data
COPY --from=build --chown=root:root /app/package.json /app/package-lock.json ./
COPY --from=build --chown=root:root /app/node_modules ./node_modules
COPY --from=build --chown=root:root /app/dist ./dist
# The embedded shape keeps its SQLite file at ./data/breakwater.db, i.e. /data (the symlink
# above). The scale-out shape (PostgreSQL, Redis, RabbitMQ) writes nothing here.
VOLUME ["/data"]
USER 10001:10001
EXPOSE 8080
# Node, not curl: the slim image has no curl. Liveness only; readiness is /readyz.
HEALTHCHECK --interval=30s --timeout=5s --start-period=30s --retries=3 \
  CMD ["node", "-e", "fetch('http://127.0.0.1:' + (process.env.PORT || 8080) + '/healthz').then((response) => process.exit(response.ok ? 0 : 1), () => process.exit(1))"]
ENTRYPOINT ["node", "--max-semi-space-size=16", "--heap-growing-percent=50", "dist/cli/main.js"]
CMD ["serve"]
