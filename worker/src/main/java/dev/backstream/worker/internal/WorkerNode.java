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
import java.util.Optional;
import java.util.concurrent.CompletableFuture;

/**
 * A worker process's guardian: follows the newest step of the highest generation it has seen,
 * hands each of its actors the shards the step's plan gives it (only the newest step's; an older
 * one waiting for a busy actor is dropped), adds up the leaves its actors compute and publishes
 * one gradient frame per maximal tree node of the process's shards ({@link StepSums}), and says
 * every half second that its actors are alive.
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

  /** Actor {@code actor} has computed {@code leaves} of {@code frame}'s step (the version it ran). */
  record LeavesComputed(int actor, StepFrame frame, List<StepSums.Leaf> leaves)
      implements Command {}

  private enum HeartbeatTick implements Command { INSTANCE }

  private final ActorContext<Command> context;
  private final String run;
  private final String workerId;
  private final StepAdmission admission;
  private final WorkerOutput output;
  private final List<ActorRef<ShardWorker.Command>> actors = new ArrayList<>();
  private final ShardSchedule schedule;
  private final SumBuffers buffers = new SumBuffers();
  private final StepSums sums = new StepSums(buffers);
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
      actors.add(context.spawn(ShardWorker.create(id, k, data.train(), buffers), "shard-worker-" + k,
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
        .onMessage(LeavesComputed.class, this::onComputed)
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
      sums.keepOnly(newest);
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

  /**
   * Starts the actor's next work first, so that it computes while the node adds up; then holds
   * the leaves and publishes every node of the process's shards that is complete. Adding and
   * encoding a node take about 0.1 ms on this dispatcher: heartbeats wait no longer than that.
   */
  private Behavior<Command> onComputed(LeavesComputed c) {
    schedule.computed(c.actor()).ifPresent(this::dispatch);
    if (ShardSchedule.sameStep(c.frame(), schedule.followed())) {
      sums.add(c.frame(), c.leaves());
      sums.publishReady(schedule.owed(), output);
    } else {
      // a step behind the one followed: the coordinator has its sum, or refuses its generation
      c.leaves().forEach(leaf -> buffers.give(leaf.sum()));
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
