package dev.backstream.coordinator.internal;

import akka.actor.typed.Behavior;
import akka.actor.typed.PostStop;
import akka.actor.typed.javadsl.AbstractBehavior;
import akka.actor.typed.javadsl.ActorContext;
import akka.actor.typed.javadsl.Behaviors;
import akka.actor.typed.javadsl.Receive;
import akka.actor.typed.javadsl.TimerScheduler;
import dev.backstream.common.nn.FlatVector;
import dev.backstream.common.nn.NetShape;
import dev.backstream.common.nn.Parameters;
import dev.backstream.common.protocol.Admission;
import dev.backstream.common.protocol.CheckpointFrame;
import dev.backstream.common.protocol.GradientFrame;
import dev.backstream.common.protocol.RejectReason;
import dev.backstream.common.protocol.Rejected;
import dev.backstream.common.protocol.WorkerHeartbeat;
import dev.backstream.common.training.StepRound;
import dev.backstream.coordinator.CoordinatorFencedException;
import dev.backstream.coordinator.training.BatchStep;
import dev.backstream.coordinator.training.ClusterStats;
import dev.backstream.coordinator.training.DivergedException;
import dev.backstream.coordinator.training.EpochReport;
import dev.backstream.coordinator.training.LossMeter;
import dev.backstream.coordinator.training.RunProgress;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;

/**
 * Owns the step state machine: publishes step s with its shard plan, keeps the first valid sum
 * per part of the reduction tree, drops duplicates, stale steps, other runs and other generations
 * (counted by reason), hands late shards to other workers, and when every shard is in adds them in
 * the tree's order, applies SGD and publishes step s + 1.
 *
 * <p>Its state lies in pieces that each change for one reason: {@link CurrentStep} (the open step
 * and its plan), {@link WorkerRoster} (who is live), {@link ClusterTally} (rejections and shards
 * resent) and {@link RunProgress} (what the user learns); the actor routes messages between them.
 */
public final class StepCoordinator extends AbstractBehavior<StepCoordinator.Command> {

  /** Everything the actor receives. */
  public sealed interface Command {}

  /** A decoded gradient record. */
  public record GradientArrived(GradientFrame frame) implements Command {}

  /** A record that failed decoding or validation before reaching the actor. */
  public record FrameRejected(RejectReason reason, String detail) implements Command {}

  /** A worker process's heartbeat or goodbye. */
  public record HeartbeatArrived(WorkerHeartbeat heartbeat) implements Command {}

  /** Stops the run early (Ctrl-C) after a checkpoint; the result future fails with a cancellation. */
  public enum Stop implements Command { INSTANCE }

  /** Kafka refused this coordinator's writes: a newer one took the run over, or access was lost. */
  public record Fenced(RuntimeException cause) implements Command {}

  private record DeadlinePassed(long step, int attempt) implements Command {}

  private enum MembershipTick implements Command { INSTANCE }

  private record FinalEvaluated(EpochReport report, Throwable failure) implements Command {}

  private static final Duration TICK = Duration.ofMillis(100);
  /** The cluster's figures go to the listener once a second. */
  private static final int CLUSTER_EVERY_TICKS = 10;
  private static final String DEADLINE = "deadline";

  private final ActorContext<Command> context;
  private final TimerScheduler<Command> timers;
  private final CoordinatorSetup setup;
  private final WorkerRoster roster;
  private final RunProgress progress;
  private final ClusterTally tally;
  private final String settingsJson;
  private final NetShape shape;
  /** The parameters of the current step, in the run's dtype: floats in a float32 run. */
  private FlatVector params;
  /** Receives each step's SGD update; swapped with {@link #params} once the step is applied. */
  private FlatVector next;
  /** Whether a step finished here: then {@link #next} holds the parameters of the one before. */
  private boolean stepFinished;
  private final CurrentStep current;

  /** Computes a step here when a non-finite value must be judged; made on first need. */
  private BatchStep batchStep;
  /** The last step found finite by {@link #divergenceOfOpenStep}, -1 before any. */
  private long verifiedFinite = -1;
  private boolean waitingLogged;
  private boolean finishing;
  private long ticks;

  /** The actor for one coordinator generation of one run. */
  public static Behavior<Command> create(CoordinatorSetup setup) {
    return Behaviors.setup(
        context -> Behaviors.withTimers(timers -> new StepCoordinator(context, timers, setup)));
  }

  private StepCoordinator(
      ActorContext<Command> context, TimerScheduler<Command> timers, CoordinatorSetup setup) {
    super(context);
    context.setLoggerName(StepCoordinator.class);
    this.context = context;
    this.timers = timers;
    this.setup = setup;
    this.roster = new WorkerRoster(setup.memberTimeout(), context.getLog());
    this.shape = setup.initialParams().shape();
    // exact: a float32 run's initial and checkpointed parameters are float values
    this.params =
        FlatVector.rounded(setup.settings().dtype(), setup.initialParams().values());
    this.next = params.zerosLike();
    this.current = new CurrentStep(setup, context.getLog());
    this.tally = new ClusterTally(context.getLog(), setup.clock());
    this.settingsJson = setup.settings().toJson();
    this.progress = setup.progress();
    timers.startTimerWithFixedDelay(MembershipTick.INSTANCE, TICK);
    if (current.step() >= setup.settings().steps()) {
      // resumed from the checkpoint of a finished run: only its evaluation is left
      finishing = true;
      context.pipeToSelf(evaluate(setup.clock().getAsLong()), FinalEvaluated::new);
    }
  }

  @Override
  public Receive<Command> createReceive() {
    return newReceiveBuilder()
        .onMessage(GradientArrived.class, this::onGradient)
        .onMessage(FrameRejected.class, this::onRejected)
        .onMessage(HeartbeatArrived.class, this::onHeartbeat)
        .onMessage(DeadlinePassed.class, this::onDeadline)
        .onMessageEquals(MembershipTick.INSTANCE, this::onTick)
        .onMessage(FinalEvaluated.class, this::onFinalEvaluated)
        .onMessageEquals(Stop.INSTANCE, this::onStop)
        .onMessage(Fenced.class, this::onFenced)
        .onSignal(PostStop.class, signal -> onPostStop())
        .build();
  }

  private Behavior<Command> onTick() {
    setup.output().tick();
    // a reducer that went silent has its subtree's partition read here again within a tick
    setup.output().reducedElsewhere(roster.reducedSubtrees(setup.clock().getAsLong()));
    if (++ticks % CLUSTER_EVERY_TICKS == 0) {
      setup.listener().onCluster(stats(setup.clock().getAsLong()));
    }
    if (current.round() == null && !finishing) {
      publishStep();
    }
    return this;
  }

  private void publishStep() {
    long now = setup.clock().getAsLong();
    List<String> live = roster.live(now);
    if (live.isEmpty()) {
      if (!waitingLogged) {
        context.getLog().info("waiting for workers to join run '{}'", setup.run());
        waitingLogged = true;
      }
      return;
    }
    waitingLogged = false;
    current.open(live, now);
    send();
  }

  private void send() {
    // after a step finished here, next holds its parameters: the step before the open one
    setup.output().publishStep(current.frame(params, stepFinished ? next : null));
    timers.startSingleTimer(
        DEADLINE, new DeadlinePassed(current.step(), current.attempt()), current.patience());
  }

  private Behavior<Command> onGradient(GradientArrived message) {
    GradientFrame f = message.frame();
    Admission admission = current.ofRun(f);
    if (admission == Admission.ADMITTED) {
      // a frame of this run's coordinator tells that its sender is alive, whatever it holds
      roster.seen(f.sender(), setup.clock().getAsLong());
      admission = current.offer(f);
    }
    if (admission instanceof Rejected r) {
      return reject(r.reason(), r.detail());
    }
    tally.kept();
    if (current.round().complete()) {
      return finishStep();
    }
    return this;
  }

  private Behavior<Command> finishStep() {
    long now = setup.clock().getAsLong();
    StepRound round = current.round();
    FlatVector sum = round.reduce();
    if (BatchStep.update(current.step() + 1, round.lossSum() / round.samples(), params, sum,
        setup.settings(), next).isPresent()) {
      // the message's loss comes from the same computation as a local run's, shard order and all
      Optional<DivergedException> diverged = divergenceOfOpenStep();
      if (diverged.isPresent()) {
        return diverge(diverged.get());
      }
    }
    // the update computed above becomes the parameters
    FlatVector before = params;
    params = next;
    next = before;
    stepFinished = true;
    current.close(now);
    timers.cancel(DEADLINE);
    long step = current.step();
    progress.stepDone(step, round.lossSum(), round.samples());
    boolean last = step >= setup.settings().steps();
    boolean evaluated = progress.evaluationDue(step);
    if (evaluated || step % setup.checkpointEvery() == 0) {
      checkpoint();
    }
    if (evaluated) {
      var report = evaluate(now);
      if (last) {
        finishing = true;
        context.pipeToSelf(report, FinalEvaluated::new);
      }
    }
    if (!last) {
      publishStep();
    }
    return this;
  }

  /**
   * Computes the open step here, once per step, to tell whether a non-finite value of it is
   * honest (the run diverged) or forged (poison, to be counted and dropped): the coordinator has
   * the data and the step's parameters, and its bits are the workers' bits.
   */
  private Optional<DivergedException> divergenceOfOpenStep() {
    if (verifiedFinite == current.step()) {
      return Optional.empty();
    }
    if (batchStep == null) {
      batchStep = new BatchStep(setup.settings(), setup.dataset().train(), shape);
    }
    Optional<DivergedException> diverged = batchStep.divergence(params, current.step());
    if (diverged.isEmpty()) {
      verifiedFinite = current.step();
    }
    return diverged;
  }

  /**
   * Stops the run on the last finite step: its checkpoint stays the run's newest. Not logged:
   * the command prints the exception's one line.
   */
  private Behavior<Command> diverge(DivergedException diverged) {
    timers.cancel(DEADLINE);
    checkpoint();
    setup.result().completeExceptionally(diverged);
    return Behaviors.stopped();
  }

  private CompletableFuture<EpochReport> evaluate(long now) {
    return progress.evaluate(current.step(), Parameters.of(shape, params), now, stats(now));
  }

  private void checkpoint() {
    LossMeter.Sums epoch = progress.epochSoFar(current.step());
    setup.output().writeCheckpoint(new CheckpointFrame(setup.run(), setup.generation(),
        current.step(), settingsJson, params.toDoubles(), epoch.lossSum(), epoch.samples()));
  }

  private ClusterStats stats(long now) {
    return tally.stats(roster.live(now).size());
  }

  private Behavior<Command> onDeadline(DeadlinePassed d) {
    if (!current.isCurrent(d.step(), d.attempt())) {
      return this;
    }
    List<String> live = roster.live(setup.clock().getAsLong());
    if (live.isEmpty()) {
      timers.startSingleTimer(DEADLINE, d, TICK);
      return this;
    }
    tally.resent(current.handOutMissing(live));
    send();
    return this;
  }

  private Behavior<Command> onHeartbeat(HeartbeatArrived message) {
    WorkerHeartbeat hb = message.heartbeat();
    if (!hb.run().equals(setup.run())) {
      return reject(RejectReason.WRONG_RUN, "heartbeat of run '" + hb.run() + "'");
    }
    long now = setup.clock().getAsLong();
    tally.workerReported(hb.workerId(), hb.rejectedByReason());
    List<String> leaving = roster.heartbeat(hb, now);
    if (hb.sentByReducer()) {
      // a reducer that joins or says goodbye moves its subtree's partition at once
      setup.output().reducedElsewhere(roster.reducedSubtrees(now));
    }
    if (leaving.stream().anyMatch(current::owes)) {
      // hand its shards out now rather than after the deadline
      context.getSelf().tell(new DeadlinePassed(current.step(), current.attempt()));
    }
    return this;
  }

  private Behavior<Command> onRejected(FrameRejected message) {
    if (message.reason() == RejectReason.NON_FINITE && current.round() != null) {
      Optional<DivergedException> diverged = divergenceOfOpenStep();
      if (diverged.isPresent()) {
        return diverge(diverged.get());
      }
    }
    return reject(message.reason(), message.detail());
  }

  private Behavior<Command> reject(RejectReason reason, String detail) {
    tally.reject(reason, detail);
    return this;
  }

  private Behavior<Command> onFinalEvaluated(FinalEvaluated message) {
    if (message.failure() != null) {
      setup.result().completeExceptionally(message.failure());
      return Behaviors.stopped();
    }
    setup.result().complete(
        progress.summary(message.report(), current.step(), Parameters.of(shape, params),
            setup.clock().getAsLong()));
    return Behaviors.stopped();
  }

  private Behavior<Command> onStop() {
    // a clean shutdown keeps every finished step: the next coordinator resumes from here
    checkpoint();
    setup.result().cancel(false);
    return Behaviors.stopped();
  }

  private Behavior<Command> onFenced(Fenced message) {
    RuntimeException cause = message.cause();
    if (FencedPublisher.isFence(cause)) {
      context.getLog().error("stopping: a newer coordinator took run '{}' over ({})", setup.run(),
          cause.toString());
      setup.result().completeExceptionally(new CoordinatorFencedException(setup.run(), cause));
    } else {
      setup.result().completeExceptionally(new IllegalStateException(
          "Kafka refuses this coordinator's writes (" + cause + "); start it again to resume from"
              + " the last checkpoint", cause));
    }
    return Behaviors.stopped();
  }

  private Behavior<Command> onPostStop() {
    progress.close();
    if (!setup.result().isDone()) {
      setup.result().cancel(false);
    }
    return this;
  }
}
