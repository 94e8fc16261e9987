/**
 * Test fixtures: a real Kafka broker (in a container where a Docker engine exists, else in the
 * test JVM), the committed MNIST subset on disk, and backstream subcommands in JVMs of their own.
 */
package dev.backstream.cli.testing;
