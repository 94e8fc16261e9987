/** Commands that talk to a Kafka cluster: coordinator, worker and metrics. */
package dev.backstream.cli.cluster;
