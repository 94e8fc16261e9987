/**
 * A real single-node KRaft Kafka broker inside the JVM, for the one-command default and tests.
 */
package dev.backstream.cli.broker;
