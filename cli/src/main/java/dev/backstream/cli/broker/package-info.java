/**
 * A real single-node KRaft Kafka broker inside the JVM, for the one-command default, tests and the
 * {@code backstream broker} process of the local cluster.
 */
package dev.backstream.cli.broker;
