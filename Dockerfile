# The journal's image: one image for every role (ROLES=api | bot | worker, or several).
# Build: docker build -t zhurnal .        Run: see deploy/docker-compose.yml and docs/operations.md

# 1. Build: all dependencies, the Prisma client, the compiled server/bot/worker and the web app.
FROM node:20-bookworm-slim AS build
WORKDIR /app
COPY package.json package-lock.json prisma.config.ts ./
COPY scripts/generate-prisma.mjs scripts/
COPY prisma/schema.prisma prisma/
# npm's postinstall generates the Prisma client (no schema engine needed, see scripts/).
RUN npm ci --no-audit --no-fund
COPY . .
RUN npm run build \
  && npm prune --omit=dev --no-audit --no-fund

# 2. Run: production dependencies and the compiled output only, as an unprivileged user.
FROM node:20-bookworm-slim AS run
# pg_dump/pg_restore for `journal backup` and the scheduled backups.
RUN apt-get update \
  && apt-get install -y --no-install-recommends postgresql-client ca-certificates \
  && rm -rf /var/lib/apt/lists/*
ENV NODE_ENV=production \
  HOST=0.0.0.0 \
  PORT=3000
WORKDIR /app
COPY --from=build --chown=node:node /app/package.json ./
COPY --from=build --chown=node:node /app/node_modules ./node_modules
COPY --from=build --chown=node:node /app/dist ./dist
COPY --from=build --chown=node:node /app/scripts/serve.mjs ./scripts/serve.mjs
USER node
EXPOSE 3000
# /ready answers 200 when PostgreSQL and Redis answer (api role); other roles are checked by
# the process being alive.
HEALTHCHECK --interval=10s --timeout=3s --start-period=30s --retries=3 \
  CMD node -e "if(!(process.env.ROLES||'').includes('api'))process.exit(0);fetch('http://127.0.0.1:'+(process.env.PORT||3000)+'/ready').then(r=>process.exit(r.ok?0:1),()=>process.exit(1))"
CMD ["node", "dist/src/main.js"]
