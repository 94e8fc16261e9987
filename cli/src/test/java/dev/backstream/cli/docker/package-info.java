/**
 * End-to-end runs of docker-compose.yml on a real Docker engine: the images scripts/docker-images.sh
 * builds, containers killed, restarted, scaled and cut off the network, each run ending on
 * {@code train --local}'s paramsSha256.
 */
package dev.backstream.cli.docker;
