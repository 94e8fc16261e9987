/**
 * The pieces of one synchronous step that do not touch Kafka or actors: who is alive, who takes
 * which shard, which node sums have arrived, and when a shard is late. The coordinator actor drives
 * them; tests drive them with an injected clock.
 */
package dev.backstream.coordinator.step;
