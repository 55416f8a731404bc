# syntax=docker/dockerfile:1
# HydraRoute: one process, one container.
#   docker build -t hydra-route:0.1.0 .
# The runtime stage runs as a non-root user and writes nothing outside /tmp, so it
# works with readOnlyRootFilesystem (deploy/deployment.yaml mounts /tmp as emptyDir).

# Base: Node.js 24 (Active LTS) on Debian bookworm, slim variant, in both stages.

# ---- build: compile the TypeScript ----
FROM node:24-bookworm-slim AS build
WORKDIR /src
COPY package.json package-lock.json ./
# --ignore-scripts: no dependency needs an install script to build or run HydraRoute.
# --omit=optional: the only optional dependency tree is `gl` (headless WebGL for
# gpu.js), which brain.js does not need on CPU and which would try to compile or
# download a native binary.
RUN npm ci --ignore-scripts --omit=optional --no-audit --no-fund
COPY tsconfig.json ./
COPY src ./src
RUN npm run build

# ---- runtime: production dependencies and the compiled code only ----
FROM node:24-bookworm-slim AS runtime
ENV NODE_ENV=production
WORKDIR /app
COPY package.json package-lock.json ./
RUN npm ci --omit=dev --omit=optional --ignore-scripts --no-audit --no-fund \
 && npm cache clean --force \
 && rm -rf /root/.npm /tmp/*
COPY --from=build /src/dist/src ./dist/src
COPY config/default-config.yaml ./config/default-config.yaml
# The image's `node` user, by number, so that the kubelet can check runAsNonRoot.
# Files above stay owned by root: the process can read them and change none.
USER 1000:1000
EXPOSE 8443 8080 8081
ENTRYPOINT ["node", "dist/src/cli/main.js"]
CMD ["serve", "--config", "/etc/hydra-route/config.yaml"]
