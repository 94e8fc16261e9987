#!/usr/bin/env bash
# Builds the images backstream's Docker tests and compose files run, without any registry:
#   backstream/jre:17        Debian 12 with OpenJDK 17's JRE, made by debootstrap and docker import
#   backstream/kafka:<ver>   a Kafka broker from the broker classes in backstream.jar; same
#                            KAFKA_* contract and health check as apache/kafka (docker/kafka/)
#   backstream:latest        the Dockerfile's image, from the jar the host's Maven build made
# Idempotent: the base image is made once (its root file system is kept in
# ~/.cache/backstream/docker when ~/.cache/backstream exists), the others are rebuilt from
# Docker's layer cache in seconds when nothing changed.
#
#   ./mvnw -B -ntp -DskipTests package && scripts/docker-images.sh
#   KAFKA_IMAGE=backstream/kafka:4.3.1 docker compose up -d
#
# Needs root for debootstrap (first run only). DOCKER_HOST picks the engine, as for docker.
# Options: --print-kafka-image prints the Kafka image's name and exits.
set -euo pipefail
cd "$(dirname "$0")/.."

# Debian's client: its built-in BuildKit frontend builds the Dockerfile without buildx.
docker="${DOCKER:-$( [ -x /usr/bin/docker ] && echo /usr/bin/docker || command -v docker )}"
kafka_version="$(sed -n 's#.*<kafka.version>\(.*\)</kafka.version>.*#\1#p' pom.xml | head -1)"
base_image="${BACKSTREAM_BASE_IMAGE:-backstream/jre:17}"
kafka_image="backstream/kafka:${kafka_version}"
app_image="backstream:${BACKSTREAM_IMAGE_TAG:-latest}"
jar=cli/target/backstream.jar

if [ "${1:-}" = "--print-kafka-image" ]; then
  echo "$kafka_image"
  exit 0
fi
say() { echo "docker-images: $*"; }
if [ ! -f "$jar" ]; then
  echo "docker-images: $jar is missing: build it first (./mvnw -B -ntp -DskipTests package)" >&2
  exit 1
fi
if ! "$docker" info >/dev/null 2>&1; then
  echo "docker-images: no Docker engine answers at ${DOCKER_HOST:-unix:///var/run/docker.sock}" >&2
  exit 1
fi

# 1. The base image: a Debian root file system, imported (no registry to pull one from).
if "$docker" image inspect "$base_image" >/dev/null 2>&1; then
  say "$base_image is there"
else
  cache_dir="$HOME/.cache/backstream/docker"
  rootfs_tar="$cache_dir/bookworm-openjdk-17-jre.tar"
  if [ ! -f "$rootfs_tar" ]; then
    command -v debootstrap >/dev/null 2>&1 || {
      echo "docker-images: debootstrap is missing (apt-get install -y debootstrap)" >&2; exit 1; }
    work="$(mktemp -d)"
    trap 'rm -rf "$work"' EXIT
    say "debootstrap of Debian 12 with openjdk-17-jre-headless (about 2 minutes)"
    debootstrap --variant=minbase --include=openjdk-17-jre-headless bookworm "$work/rootfs" \
      >"$work/debootstrap.log" 2>&1 || { tail -20 "$work/debootstrap.log" >&2; exit 1; }
    rm -rf "$work/rootfs/var/cache/apt/archives/"*.deb "$work/rootfs/var/lib/apt/lists/"*
    if [ -d "$HOME/.cache/backstream" ]; then
      mkdir -p "$cache_dir"
      tar -C "$work/rootfs" -cf "$rootfs_tar.tmp" . && mv "$rootfs_tar.tmp" "$rootfs_tar"
      say "root file system kept in $rootfs_tar"
    else
      rootfs_tar="$work/rootfs.tar"
      tar -C "$work/rootfs" -cf "$rootfs_tar" .
    fi
  fi
  "$docker" import --change 'ENV LANG=C.UTF-8' --change 'CMD ["/bin/bash"]' \
    "$rootfs_tar" "$base_image" >/dev/null
  say "imported $base_image"
fi

# 2. and 3. Kafka and backstream, from the host's jar (their RUN steps need no network: none,
# which also builds on engines without a default bridge). Each build context is a small folder, not
# the repository (whose .dockerignore keeps host-built jars out of the from-source build).
context="cli/target/docker/context"
rm -rf "$context" && mkdir -p "$context/kafka" "$context/app"
cp docker/kafka/* "$context/kafka/"
cp "$jar" "$context/kafka/backstream.jar"
cp "$jar" "$context/app/backstream.jar"
export DOCKER_BUILDKIT=1
"$docker" build -q --network none -t "$kafka_image" --build-arg BASE_IMAGE="$base_image" "$context/kafka" >/dev/null
say "built $kafka_image"
"$docker" build -q --network none -t "$app_image" -f Dockerfile --build-arg JAR=prebuilt \
  --build-arg JRE_IMAGE="$base_image" --build-arg JDK_IMAGE="$base_image" "$context/app" >/dev/null
say "built $app_image ($(java -jar "$jar" --version | head -1))"
