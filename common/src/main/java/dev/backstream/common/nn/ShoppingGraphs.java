package dev.backstream.common.nn;

/**
 * The chapter's worked computational graphs, built from {@link MulLayer} and {@link AddLayer}:
 * buying apples (and oranges) with a consumption tax, forward for the price and backward for how
 * the price moves with each input.
 */
public final class ShoppingGraphs {
  private ShoppingGraphs() {}

  /**
   * The apple graph: {@code price = apple * appleNum * tax}.
   *
   * @param price the forward result
   * @param dApple derivative of the price with respect to the apple's unit price
   * @param dAppleNum derivative with respect to the number of apples
   * @param dTax derivative with respect to the tax factor
   */
  public record Apple(double price, double dApple, double dAppleNum, double dTax) {}

  /**
   * The apple-and-orange graph: {@code price = (apple * appleNum + orange * orangeNum) * tax}.
   *
   * @param price the forward result
   * @param dApple derivative with respect to the apple's unit price
   * @param dAppleNum derivative with respect to the number of apples
   * @param dOrange derivative with respect to the orange's unit price
   * @param dOrangeNum derivative with respect to the number of oranges
   * @param dTax derivative with respect to the tax factor
   */
  public record AppleOrange(
      double price, double dApple, double dAppleNum, double dOrange, double dOrangeNum, double dTax) {}

  /** Two apples at 100 with 10% tax, the book's numbers. */
  public static Apple apple() {
    return apple(100, 2, 1.1);
  }

  /** The apple graph for any inputs. */
  public static Apple apple(double apple, double appleNum, double tax) {
    MulLayer mulApple = new MulLayer();
    MulLayer mulTax = new MulLayer();
    double applePrice = mulApple.forward(apple, appleNum);
    double price = mulTax.forward(applePrice, tax);
    ScalarGradients taxGrads = mulTax.backward(1);
    ScalarGradients appleGrads = mulApple.backward(taxGrads.dx());
    return new Apple(price, appleGrads.dx(), appleGrads.dy(), taxGrads.dy());
  }

  /** Two apples at 100 and three oranges at 150 with 10% tax, the book's numbers. */
  public static AppleOrange appleOrange() {
    return appleOrange(100, 2, 150, 3, 1.1);
  }

  /** The apple-and-orange graph for any inputs. */
  public static AppleOrange appleOrange(
      double apple, double appleNum, double orange, double orangeNum, double tax) {
    MulLayer mulApple = new MulLayer();
    MulLayer mulOrange = new MulLayer();
    AddLayer addFruit = new AddLayer();
    MulLayer mulTax = new MulLayer();
    double applePrice = mulApple.forward(apple, appleNum);
    double orangePrice = mulOrange.forward(orange, orangeNum);
    double allPrice = addFruit.forward(applePrice, orangePrice);
    double price = mulTax.forward(allPrice, tax);
    ScalarGradients taxGrads = mulTax.backward(1);
    ScalarGradients fruitGrads = addFruit.backward(taxGrads.dx());
    ScalarGradients orangeGrads = mulOrange.backward(fruitGrads.dy());
    ScalarGradients appleGrads = mulApple.backward(fruitGrads.dx());
    return new AppleOrange(
        price, appleGrads.dx(), appleGrads.dy(), orangeGrads.dx(), orangeGrads.dy(), taxGrads.dy());
  }
}
