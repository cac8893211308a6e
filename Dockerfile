# syntax=docker/dockerfile:1
# The accord controller image. Node.js 24 runs accord's TypeScript sources directly (type stripping), so there is no
# build step: the first stage installs the production dependencies, the second is a distroless Node.js 24 runtime
# (no shell, no package manager) running as the unprivileged user 65532. See docs/adr/0012-helm-chart.md.
#
#   docker build -t registry.example.com/accord:0.1.0 .
#   docker run --rm registry.example.com/accord:0.1.0 --help
#
# Pin both images by digest in production (NODE_IMAGE=node:24-bookworm-slim@sha256:…); the build arguments also let a
# mirror stand in for Docker Hub and gcr.io.
ARG NODE_IMAGE=node:24-bookworm-slim
ARG RUNTIME_IMAGE=gcr.io/distroless/nodejs24-debian12:nonroot

FROM ${NODE_IMAGE} AS deps
WORKDIR /app
COPY package.json package-lock.json ./
# --ignore-scripts: no production dependency has an install script (only the dev dependency `node` does, and the
# runtime image brings its own Node.js 24).
RUN npm ci --omit=dev --ignore-scripts --no-audit --no-fund && npm cache clean --force

FROM ${RUNTIME_IMAGE}
LABEL org.opencontainers.image.title="accord" \
      org.opencontainers.image.description="accord controller: access policies as Kubernetes custom resources, reconciled into Microsoft Entra tenants" \
      org.opencontainers.image.licenses="MIT"
WORKDIR /app
COPY --from=deps /app/node_modules ./node_modules
COPY package.json ./
COPY bin ./bin
COPY src ./src
# Files stay owned by root and read-only to the process; it writes only to /tmp (an emptyDir in the chart).
USER 65532:65532
EXPOSE 8080 8081
ENTRYPOINT ["/nodejs/bin/node", "/app/bin/accord.js"]
CMD ["controller"]
