/**
 * The pieces of one synchronous step that do not touch Kafka or actors: who is alive, who takes
 * which shard, and when a shard is late (the sums that have arrived are kept in
 * {@code common.training}'s {@code StepRound}, whose rules any gatherer of gradients shares). The coordinator actor drives
 * them; tests drive them with an injected clock.
 */
package dev.backstream.coordinator.step;
