package dev.backstream.cli.train;

import dev.backstream.cli.cluster.ReducerCommand;
import dev.backstream.common.data.Dataset;
import dev.backstream.common.kafka.KafkaSettings;
import dev.backstream.coordinator.Coordinator;
import dev.backstream.coordinator.CoordinatorConfig;
import dev.backstream.reducer.ReducerRuntime;
import dev.backstream.worker.WorkerConfig;
import dev.backstream.worker.WorkerRuntime;
import java.util.ArrayDeque;
import java.util.Deque;

/**
 * The worker and reducer processes that {@code train} runs in its own JVM beside its coordinator,
 * started as {@code backstream worker} and {@code backstream reducer} start theirs and closed
 * together (each says goodbye).
 *
 * <p>Without reducers the N worker actors are one worker process ({@code worker --actors N}): it
 * holds every shard and sends the coordinator one frame a step. With reducers they are N worker
 * processes of one actor each, as N {@code worker} commands would be: a process that holds a whole
 * subtree of the reduction tree adds it up itself and skips the reducer, so one process of N
 * actors would leave the reducers nothing to add.
 */
final class WorkersAndReducers implements AutoCloseable {
  /** How to close what was started, newest first. */
  private final Deque<Runnable> closers = new ArrayDeque<>();

  private WorkersAndReducers() {}

  /**
   * Starts {@code reducers} reducers, one for each subtree 0 to R - 1, then {@code workers} worker
   * actors; closes what it started if one fails to start.
   *
   * @param coordinator the coordinator's config, {@code reducers} subtrees in it: the run's topics
   *     get them first, as the coordinator's start would, since a reducer waits for its subtree
   * @param reducers at least 0, at most the run's shards
   * @throws dev.backstream.cli.base.UserException if the run has no such subtree
   * @throws dev.backstream.coordinator.RunConflictException if the run already has other subtrees
   */
  static WorkersAndReducers start(CoordinatorConfig coordinator, KafkaSettings workerKafka,
      KafkaSettings reducerKafka, int workers, int reducers, Dataset dataset) {
    String run = coordinator.run();
    WorkersAndReducers started = new WorkersAndReducers();
    try {
      if (reducers > 0) {
        Coordinator.prepareTopics(coordinator);
        for (int r = 0; r < reducers; r++) {
          ReducerRuntime reducer = ReducerCommand.start(reducerKafka, run, r,
              coordinator.runKey(), coordinator.connectTimeout());
          started.closers.push(reducer::close);
        }
      }
      int processes = reducers > 0 ? workers : 1;
      for (int w = 0; w < processes; w++) {
        WorkerConfig config = WorkerConfig.of(workerKafka, run, workers / processes)
            .withRunKey(coordinator.runKey());
        WorkerRuntime worker = WorkerRuntime.start(config, dataset, coordinator.connectTimeout());
        started.closers.push(worker::close);
      }
    } catch (RuntimeException e) {
      started.close();
      throw e;
    }
    return started;
  }

  /** Closes the workers, then the reducers. */
  @Override
  public void close() {
    while (!closers.isEmpty()) {
      closers.pop().run();
    }
  }
}
