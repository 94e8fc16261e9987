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
import dev.backstream.common.protocol.GradientFrame;
import dev.backstream.common.protocol.RunSpec;
import dev.backstream.common.protocol.StepFrame;
import dev.backstream.common.training.ShardKernel;
import dev.backstream.common.training.ShardRange;
import dev.backstream.common.training.ShardSpan;
import dev.backstream.common.training.ShardTree;
import java.util.HashMap;
import java.util.Map;
import java.util.SortedSet;

/**
 * One worker actor: computes the gradient sums of the shards it is given with its own network
 * replica, adds up every whole subtree it holds in the tree's order, and publishes one record per
 * tree node. Runs on a dispatcher of its own so that computing never delays heartbeats.
 */
final class ShardWorker extends AbstractBehavior<ShardWorker.Command> {

  /** What a worker actor is asked to do. */
  public sealed interface Command {}

  /**
   * Computes {@code shards} of {@code frame}'s step.
   *
   * @param shards the shards to compute, all owned by this actor in the frame
   * @param replyTo told when they are published
   */
  public record Compute(StepFrame frame, SortedSet<Integer> shards, ActorRef<WorkerNode.Command> replyTo)
      implements Command {}

  private final String actorId;
  private final int index;
  private final LabeledImages train;
  private final WorkerOutput output;
  private ShardKernel kernel;
  private NetShape kernelShape;
  private Activation kernelActivation;
  private Dtype kernelDtype;

  /**
   * @param actorId this actor's id in shard plans
   * @param index this actor's number in its process
   */
  public static Behavior<Command> create(String actorId, int index, LabeledImages train, WorkerOutput output) {
    return Behaviors.setup(context -> new ShardWorker(context, actorId, index, train, output));
  }

  private ShardWorker(ActorContext<Command> context, String actorId, int index, LabeledImages train, WorkerOutput output) {
    super(context);
    this.actorId = actorId;
    this.index = index;
    this.train = train;
    this.output = output;
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
    Map<ShardSpan, FlatVector> leaves = new HashMap<>();
    Map<Integer, BatchStats> stats = new HashMap<>();
    for (int shard : c.shards()) {
      FlatVector sum = params.zerosLike();
      stats.put(shard, k.compute(params, batch, ShardRange.of(batch.length, spec.shards(), shard), sum));
      leaves.put(ShardSpan.leaf(shard), sum);
    }
    ShardTree tree = new ShardTree(spec.shards(), spec.dtype());
    double[] leafLosses = new double[spec.shards()];
    stats.forEach((shard, s) -> leafLosses[shard] = s.lossSum());
    for (ShardSpan node : tree.maximalNodes(c.shards())) {
      int samples = 0;
      int correct = 0;
      for (int shard = node.first(); shard < node.end(); shard++) {
        BatchStats s = stats.get(shard);
        samples += s.samples();
        correct += s.correct();
      }
      // in the tree's order, as the coordinator adds the nodes: the loss has one value per run
      double loss = tree.sumScalars(node, leafLosses);
      // the tree's sum is a fresh array (or a leaf's, which nothing else reads): handed over
      output.publishGradient(
          GradientFrame.handingOver(f.run(), f.generation(), f.step(), node.first(), node.count(),
              actorId, samples, loss, correct, tree.sum(node, leaves)));
    }
    c.replyTo().tell(new WorkerNode.ShardsComputed(index, f.generation(), f.step(), c.shards()));
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
