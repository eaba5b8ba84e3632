# The `hivesync` image: one image for every process; the command chooses it
# (`serve`, `worker --type cpu|gpu --id ID`, `migrate`, `dev`, `worker-key ID`, `account create`).
# Operators build it from source (docs/deployment.md):
#
#   docker build -t hivesync:0.1.0 .
#
# Two build arguments choose the bases: BASE_IMAGE (default the official debian:bookworm-slim)
# for the runtime, RUST_IMAGE for the builder. CARGO_FEATURES adds features (e.g. local-model).
#
# The target `prebuilt` skips the Rust build and takes a binary from the build context instead
# (`HIVESYNC_BINARY`, default `./hivesync`): scripts/test-deploy uses it with a release binary
# built on the host and a locally made Debian base, since no registry is reachable there.
#
# Stages are ordered so that the classic builder (no BuildKit), which builds every stage up to
# the target, does not compile Rust for `--target prebuilt`.

ARG BASE_IMAGE=debian:bookworm-slim
ARG RUST_IMAGE=rust:1.95-slim-bookworm

# ---- runtime base: user, certificates, health check, defaults -------------------------------
FROM ${BASE_IMAGE} AS base
# ca-certificates: TLS to R2/S3 and AI providers verifies against the system roots.
RUN set -eu; \
    if [ ! -s /etc/ssl/certs/ca-certificates.crt ]; then \
      apt-get update; \
      DEBIAN_FRONTEND=noninteractive apt-get install -y --no-install-recommends ca-certificates; \
      rm -rf /var/lib/apt/lists/*; \
    fi; \
    groupadd --system --gid 10001 hivesync; \
    useradd --system --uid 10001 --gid hivesync --home-dir /data --no-create-home \
      --shell /usr/sbin/nologin hivesync; \
    mkdir -p /data; chown hivesync:hivesync /data
COPY deploy/docker/healthcheck /usr/local/bin/hivesync-healthcheck
# Inside a container the backend listens on every interface; `serve --listen` still wins.
# NVIDIA_*: what the NVIDIA container runtime mounts into a GPU worker (nvidia-smi for the
# heartbeat's GPU load); ignored elsewhere.
ENV HIVESYNC_SERVER__LISTEN=0.0.0.0:8080 \
    RUST_LOG=info \
    NVIDIA_VISIBLE_DEVICES=all \
    NVIDIA_DRIVER_CAPABILITIES=compute,utility
USER 10001:10001
WORKDIR /data
EXPOSE 8080
# `serve` and `dev` answer /healthz on their listen port (from `--listen`, else
# HIVESYNC_SERVER__LISTEN); for the other commands the running process is the health.
HEALTHCHECK --interval=10s --timeout=3s --start-period=10s --retries=3 \
  CMD ["/usr/local/bin/hivesync-healthcheck"]
ENTRYPOINT ["/usr/local/bin/hivesync"]
CMD ["--help"]

# ---- prebuilt: the binary comes from the build context ----------------------------------------
FROM base AS prebuilt
ARG HIVESYNC_BINARY=hivesync
# Mode and all: the binary is executable in the context (COPY --chmod needs BuildKit).
COPY ${HIVESYNC_BINARY} /usr/local/bin/hivesync

# ---- builder: compile the release binary on the official Rust image -------------------------
FROM ${RUST_IMAGE} AS builder
ARG CARGO_FEATURES=""
WORKDIR /src
COPY . .
# Stripped of its symbol table (8 MiB less); a panic message still names its file and line.
RUN cargo build --release --locked -p hivesync-cli ${CARGO_FEATURES:+--features "$CARGO_FEATURES"} \
 && install -s -m 0755 target/release/hivesync /hivesync

# ---- runtime (the default target): the binary from the builder ------------------------------
FROM base AS runtime
COPY --from=builder /hivesync /usr/local/bin/hivesync
