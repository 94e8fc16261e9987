/** The worker's actors and Kafka bridge. Nothing outside this module imports it. */
package dev.backstream.worker.internal;
