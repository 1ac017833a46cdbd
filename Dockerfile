# syntax=docker/dockerfile:1.7
# The ONE Eco² image: every deployment (7 API domains, storage and AI workers) runs it; APP_ROLE,
# APP_DOMAINS and WORKER_ROLES pick what a container boots (docs/CONVENTIONS.md).
# Runtime: Node 22 LTS on Debian 12 (bookworm-slim). Every native dependency supports it
# (better-sqlite3 12.x, sharp 0.35 prebuilt, openai 6.x); CI tests on Node 20 and 22.
ARG NODE_IMAGE=node:22-bookworm-slim

FROM ${NODE_IMAGE} AS base
WORKDIR /app
ENV npm_config_update_notifier=false \
    npm_config_fund=false \
    npm_config_audit=false

# better-sqlite3 compiles from source when no prebuilt binary matches: toolchain only in build stages
FROM base AS toolchain
RUN apt-get update \
    && apt-get install -y --no-install-recommends python3 make g++ \
    && rm -rf /var/lib/apt/lists/*

# production dependencies only (copied into the runtime stage)
FROM toolchain AS deps
COPY package.json package-lock.json ./
RUN --mount=type=cache,target=/root/.npm npm ci --omit=dev

# full install + TypeScript build (tsc -> dist/, then rolldown -> dist/bundle: the app and its framework
# in a few minified files, which is all the runtime stage needs of dist/)
FROM toolchain AS build
COPY package.json package-lock.json ./
RUN --mount=type=cache,target=/root/.npm npm ci
COPY tsconfig.json tsconfig.build.json nest-cli.json rolldown.config.mjs ./
COPY apps ./apps
COPY libs ./libs
RUN npm run build

FROM base AS runtime
LABEL org.opencontainers.image.source="https://github.com/eco2-team/eco2-backend" \
      org.opencontainers.image.title="eco2-backend" \
      org.opencontainers.image.description="Eco² backend: one image, role chosen by APP_ROLE/APP_DOMAINS/WORKER_ROLES"
# Node's flags (docs/PERFORMANCE.md, Pod footprint). Node sizes V8's heap from the machine's memory (in a
# pod, its limit), so the same code idles far larger on a big host (16 MB young-generation semi-spaces
# on a 24 GB machine) than in a small pod: 4 MB semi-spaces for the API pods (1 MB idled 14 MB lower
# but cost ~12 % more CPU per request in scavenges). One V8 worker thread, not one per core: each
# thread's stack and malloc arena cost 5-15 MB of idle RSS, and a pod given 0.1-0.25 of a core has no
# core to run them in parallel on (no CPU per request lost, measured). The worker pods, which serve no
# request path, override this with 1 MB semi-spaces in k8s/components/worker. The benchmarks read both
# (bench/support/built-app.ts), so they measure what the pods run. A flag on the command line would beat
# NODE_OPTIONS: the CMD carries none.
# GLIBC_TUNABLES: glibc's own defaults for when malloc hands large blocks to mmap and gives freed memory
# back (128 KiB each), pinned. Left dynamic, glibc raises both after the first large block is freed (V8's
# compiler zones during the boot do) and then keeps that much freed memory in the process: four boots of
# api:my idled at 96-100 MB with the dynamic thresholds and 95-96 MB pinned (docs/PERFORMANCE.md, Pod
# footprint), with no mmap or munmap added under request load (measured). The base image's glibc reads it.
ENV NODE_ENV=production \
    NODE_OPTIONS="--max-semi-space-size=4 --v8-pool-size=1" \
    GLIBC_TUNABLES="glibc.malloc.mmap_threshold=131072:glibc.malloc.trim_threshold=131072" \
    APP_ROLE=all \
    PORT=3000 \
    STATE_DIR=/var/lib/eco2
COPY --from=deps /app/node_modules ./node_modules
COPY --from=build /app/dist/bundle ./dist/bundle
COPY package.json ./
COPY data ./data
# the only writable paths: STATE_DIR (a volume in Kubernetes) and /tmp (an emptyDir there)
RUN mkdir -p /var/lib/eco2 && chown node:node /var/lib/eco2
USER node
EXPOSE 3000
HEALTHCHECK --interval=30s --timeout=5s --start-period=40s --retries=3 \
    CMD ["node", "-e", "fetch('http://127.0.0.1:' + (process.env.PORT || 3000) + '/health/live').then((r) => process.exit(r.ok ? 0 : 1), () => process.exit(1))"]
CMD ["node", "dist/bundle/main.js"]
