# syntax=docker/dockerfile:1

# ---- build stage ---------------------------------------------------------------------------------
FROM node:20-bookworm-slim AS build
WORKDIR /app

ENV NEXT_TELEMETRY_DISABLED=1

# Dependencies first so the layer is cached until the lockfile changes. Dev dependencies are kept:
# the worker runs TypeScript through tsx, and `npm run migrate` uses the payload CLI.
COPY package.json package-lock.json ./
RUN npm ci --no-audit --no-fund

COPY . .
# public/ is optional in the repo; make sure it exists so the runtime COPY never fails.
RUN mkdir -p public \
 && npm run build

# ---- runtime stage -------------------------------------------------------------------------------
FROM node:20-bookworm-slim AS runtime
WORKDIR /app

ENV NODE_ENV=production \
    NEXT_TELEMETRY_DISABLED=1 \
    PORT=3000 \
    HOSTNAME=0.0.0.0 \
    OUTPOST_DATA_DIR=/app/.data

COPY --from=build /app/node_modules ./node_modules
COPY --from=build /app/package.json /app/package-lock.json ./
COPY --from=build /app/next.config.mjs /app/payload.config.ts /app/tsconfig.json ./
COPY --from=build /app/src ./src
COPY --from=build /app/public ./public
# next start writes to .next/cache at run time, so .next must belong to the runtime user.
COPY --from=build --chown=node:node /app/.next ./.next

# Created (and owned by node) in the image so a fresh named volume inherits the ownership.
RUN mkdir -p /app/.data/media && chown -R node:node /app/.data
VOLUME ["/app/.data"]

USER node
EXPOSE 3000

CMD ["npm", "run", "start"]
