# One image for every role: coordinator, worker, metrics, data fetch, train, broker.
#   docker build -t backstream .
#   docker run --rm backstream --help
# No "# syntax=" line: it makes BuildKit pull a frontend image; the built-in frontend has what this
# file uses (cache mounts). JAR=prebuilt copies the jar the host's Maven build made instead of
# building one from the sources (the tests, and machines whose containers cannot reach Maven
# Central); scripts/docker-images.sh does that on Debian-built base images.
# MNIST is not in the image: docker-compose.yml fetches it once into a named volume (see README,
# "Running it").

ARG JDK_IMAGE=eclipse-temurin:17-jdk
ARG JRE_IMAGE=eclipse-temurin:17-jre
# source: stage 1 builds the jar; prebuilt: the build context is a folder holding backstream.jar.
ARG JAR=source

# Stage 1: the Maven wrapper builds the fat jar from the sources, as on a developer's machine.
FROM ${JDK_IMAGE} AS jar-source
WORKDIR /src
COPY mvnw pom.xml ./
COPY .mvn/ .mvn/
# Every module of the parent pom, with its tests' sources: cli depends on common's test jar, which
# is built (not run) under -DskipTests.
COPY common/ common/
COPY worker/ worker/
COPY reducer/ reducer/
COPY coordinator/ coordinator/
COPY cli/ cli/
# cli packs bench/numpy_gradient.py, the reference of `backstream bench compute`.
COPY bench/ bench/
# The cache mount keeps Maven and its downloads between builds without putting them in a layer.
RUN --mount=type=cache,target=/root/.m2 \
    chmod +x mvnw && ./mvnw -q -DskipTests package

# Or the jar a host build made (BuildKit skips the stage not chosen, and its base image with it).
FROM scratch AS jar-prebuilt
COPY backstream.jar /src/cli/target/backstream.jar

FROM jar-${JAR} AS build

# Stage 2: a Java 17 runtime and the jar, run as an unprivileged user.
FROM ${JRE_IMAGE}
RUN groupadd --system --gid 10001 backstream \
 && useradd --system --uid 10001 --gid backstream --create-home --home-dir /home/backstream \
      --shell /usr/sbin/nologin backstream \
 && mkdir -p /data /runs \
 && chown backstream:backstream /data /runs
COPY --from=build /src/cli/target/backstream.jar /app/backstream.jar
# Datasets live in /data/<dataset> (a named volume in docker-compose.yml); run summaries in /runs.
ENV BACKSTREAM_DATA=/data
USER 10001:10001
WORKDIR /home/backstream
ENTRYPOINT ["java", "-jar", "/app/backstream.jar"]
CMD ["--help"]
