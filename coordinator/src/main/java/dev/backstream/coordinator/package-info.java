/**
 * The coordinator's API: {@link dev.backstream.coordinator.Coordinator#run} trains one run over
 * Kafka until its last step, with workers that may come and go.
 */
package dev.backstream.coordinator;
