/**
 * The worker's API: {@link dev.backstream.worker.WorkerRuntime#start} joins a run with K worker
 * actors that compute shard gradients for whatever steps the coordinator publishes.
 */
package dev.backstream.worker;
