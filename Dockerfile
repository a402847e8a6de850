# syntax=docker/dockerfile:1
# Node 22: the major CI tests (.ci/run) and package.json's engines admit. Slim Debian.
ARG NODE_VERSION=22

# Build stage: the full toolchain compiles the sqlite3 addon from source and the TypeScript
# (`npm ci` runs the `prepare` script, which builds dist/). Nothing of the toolchain is shipped.
FROM node:${NODE_VERSION}-bookworm-slim AS build
WORKDIR /app
RUN apt-get update \
 && apt-get install -y --no-install-recommends python3 make g++ \
 && rm -rf /var/lib/apt/lists/*
# Compile the addon here instead of downloading a prebuilt binary.
ENV npm_config_build_from_source=true
COPY package.json package-lock.json tsconfig.json tsconfig.build.json ./
COPY src ./src
COPY locales ./locales
RUN npm ci --no-audit --no-fund
# Keep only what runs: no dev dependencies, no node-gyp (sqlite3's optional build tool), no
# intermediate objects or bundled SQLite sources of the addon build.
RUN npm prune --omit=dev --omit=optional --no-audit --no-fund \
 && rm -rf node_modules/sqlite3/build/Release/obj* node_modules/sqlite3/build/Release/.deps \
      node_modules/sqlite3/deps node_modules/sqlite3/src \
 && npm cache clean --force

# Runtime stage: the compiled bot and its production dependencies, as the unprivileged `node` user.
FROM node:${NODE_VERSION}-bookworm-slim AS runtime
ENV NODE_ENV=production \
    STORE_URL=sqlite:///app/data/vt-guard.sqlite \
    HTTP_HOST=0.0.0.0 \
    HTTP_PORT=8080
WORKDIR /app
COPY --from=build /app/package.json ./
COPY --from=build /app/node_modules ./node_modules
COPY --from=build /app/dist ./dist
# The translations: src/core/i18n.ts reads them from ../../locales relative to dist/core/.
COPY --from=build /app/locales ./locales
RUN mkdir -p /app/data && chown node:node /app/data
USER node
VOLUME ["/app/data"]
EXPOSE 8080
# Healthy when the bot is connected to Discord. Slim images have no curl: node asks /healthz itself.
HEALTHCHECK --interval=30s --timeout=5s --start-period=60s --retries=3 \
  CMD ["node", "-e", "fetch('http://127.0.0.1:'+process.env.HTTP_PORT+'/healthz',{signal:AbortSignal.timeout(4000)}).then(r=>process.exit(r.ok?0:1),()=>process.exit(1))"]
# SIGTERM (docker stop) goes straight to node, which stops gracefully well within 30 s.
STOPSIGNAL SIGTERM
CMD ["node", "dist/main.js"]
