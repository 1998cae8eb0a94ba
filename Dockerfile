# The product as an image, for compose.yaml (two replicas on PostgreSQL behind Caddy). Debian's Node 20,
# like the machines it is developed and tested on; native addons (better-sqlite3, hnswlib-node) build here.
FROM node:20-bookworm-slim AS build
RUN apt-get update && apt-get install -y --no-install-recommends python3 make g++ && rm -rf /var/lib/apt/lists/*
WORKDIR /app
COPY package.json package-lock.json ./
RUN npm ci
COPY . .
RUN npx tsx scripts/bundle-server.ts && npm prune --omit=dev

FROM node:20-bookworm-slim
WORKDIR /app
ENV NODE_ENV=production HOST=0.0.0.0 PORT=3000 DATA_DIR=/data
COPY --from=build /app /app
# content/ is written by the admin editor and by the pull of a revision another replica published.
RUN mkdir -p /data && chown -R node:node /data /app/content
USER node
EXPOSE 3000
HEALTHCHECK --interval=10s --timeout=3s --start-period=60s --retries=3 \
  CMD node -e "fetch('http://127.0.0.1:3000/readyz').then(r=>process.exit(r.ok?0:1),()=>process.exit(1))"
CMD ["node", "--enable-source-maps", "--heap-growing-percent=20", "dist/server.mjs"]
