package dev.backstream.worker.internal;

import akka.actor.typed.ActorRef;
import akka.actor.typed.Behavior;
import akka.actor.typed.DispatcherSelector;
import akka.actor.typed.javadsl.AbstractBehavior;
import akka.actor.typed.javadsl.ActorContext;
import akka.actor.typed.javadsl.Behaviors;
import akka.actor.typed.javadsl.Receive;
import akka.actor.typed.javadsl.TimerScheduler;
import dev.backstream.common.data.Dataset;
import dev.backstream.common.protocol.RejectReason;
import dev.backstream.common.protocol.Rejected;
import dev.backstream.common.protocol.Rejections;
import dev.backstream.common.protocol.StepFrame;
import dev.backstream.common.protocol.WorkerHeartbeat;
import dev.backstream.common.protocol.WorkerIds;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.SortedSet;
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
  record ShardsComputed(int actor, long generation, long step, SortedSet<Integer> shards)
      implements Command {}

  private enum HeartbeatTick implements Command { INSTANCE }

  private final ActorContext<Command> context;
  private final String run;
  private final String workerId;
  private final StepAdmission admission;
  private final WorkerOutput output;
  private final List<ActorRef<ShardWorker.Command>> actors = new ArrayList<>();
  private final ShardSchedule schedule;
  private final Rejections rejections;

  /**
   * @param run the run name
   * @param workerId this process's id
   * @param actorCount worker actors to spawn
   * @param data the dataset this worker loaded: batch indices point into its training set
   * @param output where gradients and heartbeats go
   * @param heartbeatEvery heartbeat period
   */
  public static Behavior<Command> create(String run, String workerId, int actorCount,
      Dataset data, WorkerOutput output, Duration heartbeatEvery) {
    return Behaviors.setup(context -> Behaviors.withTimers(timers ->
        new WorkerNode(context, timers, run, workerId, actorCount, data, output, heartbeatEvery)));
  }

  private WorkerNode(ActorContext<Command> context, TimerScheduler<Command> timers, String run,
      String workerId, int actorCount, Dataset data, WorkerOutput output,
      Duration heartbeatEvery) {
    super(context);
    context.setLoggerName(WorkerNode.class);
    this.context = context;
    this.run = run;
    this.workerId = workerId;
    this.admission = new StepAdmission(run, data);
    this.output = output;
    this.rejections = new Rejections(context.getLog(), "step record", System::nanoTime);
    List<String> actorIds = new ArrayList<>();
    for (int k = 0; k < actorCount; k++) {
      String id = WorkerIds.actor(workerId, k);
      actorIds.add(id);
      // computing is CPU work: keep it off the dispatcher that runs heartbeats
      actors.add(context.spawn(ShardWorker.create(id, k, data.train(), output), "shard-worker-" + k,
          DispatcherSelector.blocking()));
    }
    this.schedule = new ShardSchedule(actorIds);
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
      if (mayFollow(f, newest)) {
        newest = f;
      }
    }
    // a worker that fell behind skips to the newest step rather than computing stale ones
    if (newest != null) {
      schedule.follow(newest).forEach(this::dispatch);
    }
    return this;
  }

  /** Whether {@code f} may be followed after {@code newer} (or the step followed); if not, counts why. */
  private boolean mayFollow(StepFrame f, StepFrame newer) {
    if (admission.admit(f, newer, schedule) instanceof Rejected r) {
      rejections.reject(r.reason(), r.detail());
      return false;
    }
    return true;
  }

  private void dispatch(ShardSchedule.Work work) {
    context.getLog().debug("step {}: actor {} computes {}", work.frame().step(), work.actor(),
        work.shards());
    actors.get(work.actor())
        .tell(new ShardWorker.Compute(work.frame(), work.shards(), context.getSelf()));
  }

  private Behavior<Command> onComputed(ShardsComputed c) {
    schedule.computed(c.actor()).ifPresent(this::dispatch);
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
