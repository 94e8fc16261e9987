package dev.backstream.worker.internal;

import akka.actor.typed.ActorRef;
import akka.actor.typed.Behavior;
import akka.actor.typed.DispatcherSelector;
import akka.actor.typed.javadsl.AbstractBehavior;
import akka.actor.typed.javadsl.ActorContext;
import akka.actor.typed.javadsl.Behaviors;
import akka.actor.typed.javadsl.Receive;
import akka.actor.typed.javadsl.TimerScheduler;
import dev.backstream.common.data.LabeledImages;
import dev.backstream.common.protocol.RejectReason;
import dev.backstream.common.protocol.Rejections;
import dev.backstream.common.protocol.StepFrame;
import dev.backstream.common.protocol.WorkerHeartbeat;
import dev.backstream.common.protocol.WorkerIds;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.SortedSet;
import java.util.TreeSet;
import java.util.concurrent.CompletableFuture;

/**
 * A worker process's guardian: follows the newest step of the highest generation it has seen,
 * hands each of its actors the shards the step's plan gives it (only the newest step's; an older
 * one waiting for a busy actor is dropped), and says every half second that its actors are alive.
 *
 * <p>A step published again names only the shards still missing, so each version is computed
 * as asked, even shards this process sent before: an earlier sum may have been dropped because
 * it overlapped one that arrived first from another worker.
 */
public final class WorkerNode extends AbstractBehavior<WorkerNode.Command> {

  /** Everything the node receives. */
  public sealed interface Command {}

  /** The decoded step records of one poll, oldest first. */
  public record StepsArrived(List<StepFrame> frames) implements Command {
    /** Copies the list. */
    public StepsArrived {
      frames = List.copyOf(frames);
    }
  }

  /** A record that failed decoding. */
  public record FrameRejected(RejectReason reason, String detail) implements Command {}

  /** Says goodbye to the coordinator and stops; {@code done} completes when the goodbye is sent. */
  public record Leave(CompletableFuture<Void> done) implements Command {}

  /** An actor has published the sums of {@code shards}. */
  public record ShardsComputed(int actor, long generation, long step, SortedSet<Integer> shards)
      implements Command {}

  private enum HeartbeatTick implements Command { INSTANCE }

  private record Work(StepFrame frame, SortedSet<Integer> shards) {}

  private final ActorContext<Command> context;
  private final String run;
  private final String workerId;
  private final LabeledImages train;
  private final WorkerOutput output;
  private final List<ActorRef<ShardWorker.Command>> actors = new ArrayList<>();
  private final List<String> actorIds = new ArrayList<>();
  private final Work[] pending;
  private final Work[] running;
  private final Rejections rejections;
  private long highestGeneration = -1;
  private StepFrame latest;

  /**
   * @param run the run name
   * @param workerId this process's id
   * @param actorCount worker actors to spawn
   * @param train the training set batch indices point into
   * @param output where gradients and heartbeats go
   * @param heartbeatEvery heartbeat period
   */
  public static Behavior<Command> create(String run, String workerId, int actorCount,
      LabeledImages train, WorkerOutput output, Duration heartbeatEvery) {
    return Behaviors.setup(context -> Behaviors.withTimers(timers ->
        new WorkerNode(context, timers, run, workerId, actorCount, train, output, heartbeatEvery)));
  }

  private WorkerNode(ActorContext<Command> context, TimerScheduler<Command> timers, String run,
      String workerId, int actorCount, LabeledImages train, WorkerOutput output,
      Duration heartbeatEvery) {
    super(context);
    context.setLoggerName(WorkerNode.class);
    this.context = context;
    this.run = run;
    this.workerId = workerId;
    this.train = train;
    this.output = output;
    this.pending = new Work[actorCount];
    this.running = new Work[actorCount];
    this.rejections = new Rejections(context.getLog(), "step record", System::nanoTime);
    for (int k = 0; k < actorCount; k++) {
      String id = WorkerIds.actor(workerId, k);
      actorIds.add(id);
      // computing is CPU work: keep it off the dispatcher that runs heartbeats
      actors.add(context.spawn(ShardWorker.create(id, k, train, output), "shard-worker-" + k,
          DispatcherSelector.blocking()));
    }
    heartbeat(false);
    timers.startTimerWithFixedDelay(HeartbeatTick.INSTANCE, heartbeatEvery);
  }

  @Override
  public Receive<Command> createReceive() {
    return newReceiveBuilder()
        .onMessage(StepsArrived.class, this::onSteps)
        .onMessage(ShardsComputed.class, this::onComputed)
        .onMessage(FrameRejected.class, m -> reject(m.reason(), m.detail()))
        .onMessageEquals(HeartbeatTick.INSTANCE, this::onHeartbeatTick)
        .onMessage(Leave.class, this::onLeave)
        .build();
  }

  private Behavior<Command> onSteps(StepsArrived message) {
    StepFrame newest = null;
    for (StepFrame f : message.frames()) {
      String problem = problem(f, newest != null ? newest : latest);
      if (problem == null) {
        highestGeneration = Math.max(highestGeneration, f.generation());
        newest = f;
      }
    }
    // a worker that fell behind skips to the newest step rather than computing stale ones
    if (newest != null) {
      follow(newest);
    }
    return this;
  }

  /** Rejects {@code f} and says why, or returns null if it may be computed after {@code current}. */
  private String problem(StepFrame f, StepFrame current) {
    if (!f.run().equals(run)) {
      return rejected(RejectReason.WRONG_RUN, "run '" + f.run() + "'");
    }
    if (f.generation() < highestGeneration) {
      return rejected(RejectReason.STALE_GENERATION,
          "generation " + f.generation() + " after " + highestGeneration);
    }
    if (current != null && f.generation() == current.generation() && f.step() < current.step()) {
      return rejected(RejectReason.STALE_STEP, "step " + f.step() + " after " + current.step());
    }
    String invalid = StepChecks.problem(f, train);
    return invalid == null ? null : rejected(RejectReason.BAD_VALUE, invalid);
  }

  private String rejected(RejectReason reason, String detail) {
    rejections.reject(reason, detail);
    return detail;
  }

  private void follow(StepFrame f) {
    if (latest == null || !sameStep(f, latest)) {
      Arrays.fill(pending, null);
    }
    latest = f;
    for (int k = 0; k < actors.size(); k++) {
      SortedSet<Integer> mine = new TreeSet<>();
      for (int shard = 0; shard < f.shardCount(); shard++) {
        if (actorIds.get(k).equals(f.shardOwner(shard))) {
          mine.add(shard);
        }
      }
      // what is already being computed for this step will be sent anyway
      if (running[k] != null && sameStep(running[k].frame(), f)) {
        mine.removeAll(running[k].shards());
      }
      if (mine.isEmpty()) {
        continue;
      }
      if (running[k] == null) {
        dispatch(k, new Work(f, mine));
      } else {
        pending[k] = new Work(f, mine);
      }
    }
  }

  private static boolean sameStep(StepFrame a, StepFrame b) {
    return a.generation() == b.generation() && a.step() == b.step();
  }

  private void dispatch(int k, Work work) {
    context.getLog().debug("step {}: actor {} computes {}", work.frame().step(), k, work.shards());
    running[k] = work;
    actors.get(k).tell(new ShardWorker.Compute(work.frame(), work.shards(), context.getSelf()));
  }

  private Behavior<Command> onComputed(ShardsComputed c) {
    int k = c.actor();
    Work finished = running[k];
    running[k] = null;
    Work next = pending[k];
    pending[k] = null;
    if (next != null && sameStep(next.frame(), latest)) {
      SortedSet<Integer> left = new TreeSet<>(next.shards());
      if (finished != null && sameStep(finished.frame(), next.frame())) {
        left.removeAll(finished.shards());
      }
      if (!left.isEmpty()) {
        dispatch(k, new Work(next.frame(), left));
      }
    }
    return this;
  }

  private Behavior<Command> reject(RejectReason reason, String detail) {
    rejections.reject(reason, detail);
    return this;
  }

  private Behavior<Command> onHeartbeatTick() {
    heartbeat(false);
    return this;
  }

  private void heartbeat(boolean leaving) {
    output.publishHeartbeat(new WorkerHeartbeat(run, workerId, WorkerIds.host(),
        ProcessHandle.current().pid(), actors.size(), System.currentTimeMillis(), leaving,
        rejections.byReason()));
  }

  private Behavior<Command> onLeave(Leave leave) {
    heartbeat(true);
    leave.done().complete(null);
    return Behaviors.stopped();
  }
}
