# The lab's services as one image, for docker-compose.yml (the distributed lab with the real Toxiproxy and
# Prometheus). Entry points, chosen by each service's `command`:
#   node dist/lab/agent-main.js      an instance agent: one orders instance, restarted when it dies (the default)
#   node dist/lab/control-main.js    the control service: router + admin API, replicator, ground truth
#   node dist/lab/instance-main.js   a bare orders instance
# Untested on the machines chaosdrill is developed on (no Docker daemon there); see README "On Docker".
FROM node:20-bookworm-slim AS build
WORKDIR /app
COPY package.json package-lock.json tsconfig.json ./
# --ignore-scripts: `prepare` builds, and the sources are not copied yet; better-sqlite3 is rebuilt below.
RUN npm ci --ignore-scripts && npm rebuild better-sqlite3
COPY src ./src
RUN npx tsc -p tsconfig.json

FROM node:20-bookworm-slim
WORKDIR /app
ENV NODE_ENV=production
COPY package.json package-lock.json ./
RUN npm ci --omit=dev --ignore-scripts && npm rebuild better-sqlite3 && npm cache clean --force
COPY --from=build /app/dist ./dist
# An agent's defaults; docker-compose.yml sets every one per service.
ENV LAB_INSTANCE=a-1 LAB_REGION=a LAB_DB=/data/region-a.db LAB_HOST=0.0.0.0 LAB_INSTANCE_PORT=8080 LAB_AGENT_LISTEN=0.0.0.0:9000
# Named volumes mounted on these take their ownership when first used, so the unprivileged user can write the
# SQLite files: /data (an agent's region), /data/a and /data/b (the control service's view of both), /lab.
RUN mkdir -p /data/a /data/b /lab && chown -R node:node /data /lab
EXPOSE 8080 8081 9000
USER node
CMD ["node", "dist/lab/agent-main.js"]
