package dev.backstream.cli;

import dev.backstream.cli.base.ExitCodes;
import dev.backstream.common.nn.ShoppingGraphs;
import java.io.PrintWriter;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Spec;

/** Prints the chapter's worked computational graphs, computed with the layers. */
@Command(
    name = "demo",
    mixinStandardHelpOptions = true,
    description = "Forward and backward through the book's apple and orange shopping graphs.")
public final class DemoCommand implements Callable<Integer> {
  @Spec CommandSpec spec;

  @Override
  public Integer call() {
    PrintWriter out = spec.commandLine().getOut();
    ShoppingGraphs.Apple apple = ShoppingGraphs.apple();
    out.println("Apple: 2 apples at 100, tax 1.1");
    out.println("  price: " + fmt(apple.price()));
    out.println("  dApple: " + fmt(apple.dApple()) + "  dApple_num: " + fmt(apple.dAppleNum())
        + "  dTax: " + fmt(apple.dTax()));
    ShoppingGraphs.AppleOrange both = ShoppingGraphs.appleOrange();
    out.println("Apple and orange: 2 apples at 100, 3 oranges at 150, tax 1.1");
    out.println("  price: " + fmt(both.price()));
    out.println("  dApple: " + fmt(both.dApple()) + "  dApple_num: " + fmt(both.dAppleNum())
        + "  dOrange: " + fmt(both.dOrange()) + "  dOrange_num: " + fmt(both.dOrangeNum())
        + "  dTax: " + fmt(both.dTax()));
    out.flush();
    return ExitCodes.OK;
  }

  /** The book prints e.g. 220.00000000000003; round to what the figure shows. */
  static String fmt(double v) {
    return java.math.BigDecimal.valueOf(v).round(new java.math.MathContext(10)).stripTrailingZeros().toPlainString();
  }
}
