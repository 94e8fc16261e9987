/**
 * The coordinator's machinery: the step actor and its Kafka bridge. Nothing outside this module
 * imports it.
 */
package dev.backstream.coordinator.internal;
