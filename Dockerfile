# The lab's orders service as an image, for docker-compose.yml (the lab with the real Toxiproxy and Prometheus).
# Untested on the machines chaosdrill is developed on (no Docker daemon there); see README "The built-in lab".
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
# One instance of the orders service; docker-compose.yml sets its region, name, port and database.
ENV PORT=8080 LAB_REGION=a LAB_INSTANCE=a-1 LAB_DB=/data/orders.db
# The named volumes mounted at /data take this ownership, so the unprivileged user can write its SQLite file.
RUN mkdir /data && chown node:node /data
EXPOSE 8080
USER node
CMD ["node", "dist/lab/instance-main.js"]
