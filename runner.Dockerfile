# The chaosdrill runner: the `chaos` binary with the experiments and scenarios of this repository, for the
# Kubernetes CronJob that `chaos schedule <plan> --emit cronjob` writes (it mounts the plan and its experiments from
# a ConfigMap at /etc/chaosdrill/gameday and runs `chaos gameday` on them).
#   docker build -f runner.Dockerfile -t chaosdrill-runner:1 .
# Untested on the machines chaosdrill is developed on (no Docker daemon there); see README "Game days, schedules and CI".
FROM node:20-bookworm-slim AS build
WORKDIR /app
COPY package.json package-lock.json tsconfig.json ./
# --ignore-scripts: `prepare` builds, and the sources are not copied yet; better-sqlite3 is rebuilt below.
RUN npm ci --ignore-scripts && npm rebuild better-sqlite3
COPY src ./src
COPY scripts/bundle-cli.mjs ./scripts/
# tsc, then the bundled `chaos` command (dist/bin.js and dist/chunks/), as `npm run build` makes them.
RUN npm run build

FROM node:20-bookworm-slim
WORKDIR /app
ENV NODE_ENV=production CI=true
COPY package.json package-lock.json ./
RUN npm ci --omit=dev --ignore-scripts && npm rebuild better-sqlite3 && npm cache clean --force
COPY --from=build /app/dist ./dist
COPY schema ./schema
# Files experiments refer to by relative paths (apps they start, k6 scripts) resolve against /app.
COPY experiments ./experiments
COPY scenarios ./scenarios
# A fixed, non-root uid (the CronJob's securityContext runs as 10001); reports and state are written to volumes.
RUN groupadd --gid 10001 chaos && useradd --uid 10001 --gid 10001 --no-create-home --shell /usr/sbin/nologin chaos \
 && mkdir -p /app/reports /app/.chaos /var/lib/chaosdrill && chown -R chaos:chaos /app/reports /app/.chaos /var/lib/chaosdrill \
 && ln -s /app/dist/bin.js /usr/local/bin/chaos && chmod +x /app/dist/bin.js
USER 10001:10001
ENTRYPOINT ["node", "/app/dist/bin.js"]
CMD ["--help"]
