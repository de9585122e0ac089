# One Railyard relay (app, API and sync on one port). Kept thin: it runs exactly what the cluster
# tests run (node server/index.ts); compose.yaml starts three of these with PostgreSQL, Redis and
# HAProxy (docs/haproxy.cfg). Not built on the project's machines (no Docker engine there):
# tests/server/deployment.test.ts checks it and compose.yaml against what the tests start.
FROM node:24-bookworm-slim
WORKDIR /app
COPY package.json package-lock.json ./
RUN npm ci --no-audit --no-fund
COPY . .
RUN npm run build && npm prune --omit=dev
ENV NODE_ENV=production HOST=0.0.0.0 PORT=3000
EXPOSE 3000
CMD ["node", "server/index.ts"]
