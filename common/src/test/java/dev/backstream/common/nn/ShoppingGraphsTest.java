package dev.backstream.common.nn;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import org.junit.jupiter.api.Test;

class ShoppingGraphsTest {
  /** The book's figures come from decimal arithmetic; doubles land within an ulp or two. */
  private static final double TOLERANCE = 1e-9;

  @Test
  void appleGraphMatchesTheBook() {
    ShoppingGraphs.Apple r = ShoppingGraphs.apple();
    assertThat(r.price()).isCloseTo(220, within(TOLERANCE));
    assertThat(r.dApple()).isCloseTo(2.2, within(TOLERANCE));
    assertThat(r.dAppleNum()).isCloseTo(110, within(TOLERANCE));
    assertThat(r.dTax()).isCloseTo(200, within(TOLERANCE));
  }

  @Test
  void appleOrangeGraphMatchesTheBook() {
    ShoppingGraphs.AppleOrange r = ShoppingGraphs.appleOrange();
    assertThat(r.price()).isCloseTo(715, within(TOLERANCE));
    assertThat(r.dApple()).isCloseTo(2.2, within(TOLERANCE));
    assertThat(r.dAppleNum()).isCloseTo(110, within(TOLERANCE));
    assertThat(r.dOrange()).isCloseTo(3.3, within(TOLERANCE));
    assertThat(r.dOrangeNum()).isCloseTo(165, within(TOLERANCE));
    assertThat(r.dTax()).isCloseTo(650, within(TOLERANCE));
  }

  @Test
  void mulLayerSwapsItsInputsOnTheWayBack() {
    MulLayer mul = new MulLayer();
    assertThat(mul.forward(3, -4)).isEqualTo(-12);
    assertThat(mul.backward(2)).isEqualTo(new ScalarGradients(-8, 6));
  }

  @Test
  void addLayerPassesTheUpstreamDerivativeToBoth() {
    AddLayer add = new AddLayer();
    assertThat(add.forward(3, -4)).isEqualTo(-1);
    assertThat(add.backward(1.5)).isEqualTo(new ScalarGradients(1.5, 1.5));
  }
}
