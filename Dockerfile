# syntax=docker/dockerfile:1
#
# adw-trigger in a container: mount the repository at /repo and run the daemon in the foreground.
#   docker build -t adw-trigger .
#   docker run -d --name adw --user "$(id -u):$(id -g)" -e ANTHROPIC_API_KEY -v "$PWD:/repo" adw-trigger
# See docs/docker.md.

# ---- build: compile TypeScript with the dev dependencies, exactly as CI does ----
FROM node:22-bookworm-slim AS build
# A C compiler for the addons (native/: write-lease, run-process), which npm ci builds.
RUN apt-get update \
    && apt-get install -y --no-install-recommends gcc libc6-dev \
    && rm -rf /var/lib/apt/lists/*
WORKDIR /src
COPY package.json package-lock.json ./
COPY native ./native
RUN npm ci
COPY . .
RUN npm run build

# ---- runtime: production dependencies, the compiled program, git, tini and Claude Code ----
FROM node:22-bookworm-slim AS runtime

# git runs every worktree, branch and merge; tini is PID 1 (forwards SIGTERM to the daemon and
# reaps orphaned agent processes); ca-certificates for the agents' HTTPS calls.
RUN apt-get update \
    && apt-get install -y --no-install-recommends git tini ca-certificates \
    && rm -rf /var/lib/apt/lists/*

# The agent. Pinned so an image rebuild does not change the agent under you; build with
# --build-arg INSTALL_CLAUDE=0 for an image that only runs `command` agents (or brings its own).
ARG CLAUDE_CODE_VERSION=2.0.77
ARG INSTALL_CLAUDE=1
RUN if [ "$INSTALL_CLAUDE" = "1" ]; then \
        npm install -g "@anthropic-ai/claude-code@${CLAUDE_CODE_VERSION}" && npm cache clean --force; \
    fi

WORKDIR /opt/adw-trigger
COPY package.json package-lock.json ./
COPY native ./native
# No compiler here: the addon's build says it is skipped, and the one built above is copied in.
RUN npm ci --omit=dev && npm cache clean --force
COPY --from=build /src/native/build ./native/build
COPY --from=build /src/dist ./dist
COPY workflows ./workflows
COPY dashboard ./dashboard
COPY demo ./demo
COPY tasks.example.md ./
COPY docker/adw-trigger /usr/local/bin/adw-trigger
RUN chmod 755 /usr/local/bin/adw-trigger

# The container may run as any uid (`--user "$(id -u):$(id -g)"` keeps the files it writes in
# the mounted repository owned by you), and that uid has no entry in /etc/passwd: give it a
# writable HOME (Claude Code keeps its settings there). The mounted repository belongs to some
# other uid as far as git can tell, so trust every directory; and commit as adw-trigger unless
# the repository's config or GIT_AUTHOR_*/GIT_COMMITTER_* variables say otherwise.
RUN mkdir -p /home/adw && chmod 1777 /home/adw \
    && git config --system --add safe.directory '*' \
    && git config --system user.name 'adw-trigger' \
    && git config --system user.email 'adw-trigger@localhost'
ENV HOME=/home/adw \
    NODE_ENV=production \
    DISABLE_AUTOUPDATER=1

# Claude Code refuses --dangerously-skip-permissions as root; `node` is uid 1000.
USER node

VOLUME /repo
WORKDIR /repo

# Healthy while a daemon of this container has a fresh heartbeat in /repo/.adw/daemons/.
HEALTHCHECK --interval=30s --timeout=10s --start-period=30s --retries=3 \
    CMD ["adw-trigger", "health", "--repo", "/repo"]

# tini forwards SIGTERM to the daemon, which stops its agents and puts their tasks back to []
# within 10 s: give `docker stop` a little more than that (`--stop-timeout 20`, see docs).
STOPSIGNAL SIGTERM
ENTRYPOINT ["tini", "--", "adw-trigger"]
CMD ["start", "--repo", "/repo"]
