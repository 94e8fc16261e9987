/** Test fixtures: a real Kafka broker and the committed MNIST subset on disk. */
package dev.backstream.cli.testing;
