/**
 * Kafka client configuration and topic creation for backstream's clients: no broker here.
 */
package dev.backstream.common.kafka;
