package dev.backstream.worker.internal;

import akka.actor.typed.ActorRef;
import akka.actor.typed.Behavior;
import akka.actor.typed.javadsl.AbstractBehavior;
import akka.actor.typed.javadsl.ActorContext;
import akka.actor.typed.javadsl.Behaviors;
import akka.actor.typed.javadsl.Receive;
import dev.backstream.common.data.LabeledImages;
import dev.backstream.common.nn.Activation;
import dev.backstream.common.nn.BatchStats;
import dev.backstream.common.nn.Dtype;
import dev.backstream.common.nn.FlatVector;
import dev.backstream.common.nn.NetShape;
import dev.backstream.common.protocol.RunSpec;
import dev.backstream.common.protocol.StepFrame;
import dev.backstream.common.training.ShardKernel;
import dev.backstream.common.training.ShardRange;
import java.util.ArrayList;
import java.util.List;
import java.util.SortedSet;

/**
 * One worker actor: computes the gradient sums of the shards it is given with its own network
 * replica, into vectors of the process's {@link SumBuffers}, and hands them to its node, which adds
 * up the process's leaves of the step and publishes them. Runs on a dispatcher of its own so that
 * computing never delays heartbeats.
 */
final class ShardWorker extends AbstractBehavior<ShardWorker.Command> {

  /** What a worker actor is asked to do. */
  public sealed interface Command {}

  /**
   * Computes {@code shards} of {@code frame}'s step.
   *
   * @param shards the shards to compute, all owned by this actor in the frame
   * @param replyTo handed the leaves
   */
  public record Compute(StepFrame frame, SortedSet<Integer> shards, ActorRef<WorkerNode.Command> replyTo)
      implements Command {}

  private final String actorId;
  private final int index;
  private final LabeledImages train;
  private final SumBuffers buffers;
  private ShardKernel kernel;
  private NetShape kernelShape;
  private Activation kernelActivation;
  private Dtype kernelDtype;

  /**
   * @param actorId this actor's id in shard plans
   * @param index this actor's number in its process
   * @param buffers where the leaves' vectors come from (the node gives them back)
   */
  public static Behavior<Command> create(String actorId, int index, LabeledImages train,
      SumBuffers buffers) {
    return Behaviors.setup(context -> new ShardWorker(context, actorId, index, train, buffers));
  }

  private ShardWorker(ActorContext<Command> context, String actorId, int index,
      LabeledImages train, SumBuffers buffers) {
    super(context);
    this.actorId = actorId;
    this.index = index;
    this.train = train;
    this.buffers = buffers;
  }

  @Override
  public Receive<Command> createReceive() {
    return newReceiveBuilder().onMessage(Compute.class, this::onCompute).build();
  }

  private Behavior<Command> onCompute(Compute c) {
    StepFrame f = c.frame();
    RunSpec spec = f.spec();
    ShardKernel k = kernelFor(spec.shape(train.features()), spec.activation(), spec.dtype());
    // read in place, in the frame's dtype: the kernel never writes the parameters
    FlatVector params = f.paramsShared();
    int[] batch = f.batchIndices();
    List<StepSums.Leaf> leaves = new ArrayList<>(c.shards().size());
    for (int shard : c.shards()) {
      // the kernel overwrites every value: a vector of an earlier step needs no clearing
      FlatVector sum = buffers.take(params.dtype(), params.length());
      BatchStats stats = k.compute(params, batch, ShardRange.of(batch.length, spec.shards(), shard), sum);
      leaves.add(new StepSums.Leaf(shard, actorId, sum, stats));
    }
    // the node adds them up with the other actors' leaves of the step and publishes the nodes
    c.replyTo().tell(new WorkerNode.LeavesComputed(index, f, leaves));
    return this;
  }

  private ShardKernel kernelFor(NetShape shape, Activation activation, Dtype dtype) {
    if (kernel == null || !shape.equals(kernelShape) || activation != kernelActivation
        || dtype != kernelDtype) {
      kernel = new ShardKernel(train, shape, activation, dtype);
      kernelShape = shape;
      kernelActivation = activation;
      kernelDtype = dtype;
    }
    return kernel;
  }
}
