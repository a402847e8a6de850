# syntax=docker/dockerfile:1
# Node LTS, slim Debian. The bot needs Node >= 22; override with --build-arg NODE_VERSION=26.
ARG NODE_VERSION=24

# Build stage: compile TypeScript (and the sqlite3 native addon) with the full toolchain.
FROM node:${NODE_VERSION}-bookworm-slim AS build
WORKDIR /app
RUN apt-get update && apt-get install -y --no-install-recommends python3 make g++ && rm -rf /var/lib/apt/lists/*
COPY package.json package-lock.json ./
RUN npm ci --no-audit --no-fund
COPY tsconfig.json tsconfig.build.json ./
COPY src ./src
RUN npm run build && npm prune --omit=dev

# Runtime stage: only the compiled bot and production dependencies, as a non-root user.
FROM node:${NODE_VERSION}-bookworm-slim
ENV NODE_ENV=production \
    STORE_URL=sqlite:///app/data/vt-guard.sqlite
WORKDIR /app
COPY --from=build /app/package.json ./
COPY --from=build /app/node_modules ./node_modules
COPY --from=build /app/dist ./dist
RUN mkdir -p /app/data && chown -R node:node /app/data
USER node
VOLUME ["/app/data"]
# Healthy when the bot is connected to Discord; only checked when HTTP_PORT is set.
HEALTHCHECK --interval=30s --timeout=5s --start-period=60s --retries=3 \
  CMD if [ -z "$HTTP_PORT" ]; then exit 0; fi; node -e "fetch('http://127.0.0.1:'+process.env.HTTP_PORT+'/healthz').then(r=>process.exit(r.ok?0:1),()=>process.exit(1))"
CMD ["node", "dist/main.js"]
