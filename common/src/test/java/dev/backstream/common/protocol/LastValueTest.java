package dev.backstream.common.protocol;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The one-entry cache the frame codec keeps a step's spec in. */
class LastValueTest {

  @Test
  void computesOnlyWhenTheKeyChanges() {
    List<String> computed = new ArrayList<>();
    LastValue<String, Integer> lengths = new LastValue<>(s -> {
      computed.add(s);
      return s.length();
    });

    assertThat(lengths.get("spec")).isEqualTo(4);
    assertThat(lengths.get(new String("spec"))).isEqualTo(4);
    assertThat(lengths.get("other")).isEqualTo(5);
    assertThat(lengths.get("spec")).isEqualTo(4);
    assertThat(computed).containsExactly("spec", "other", "spec");
  }
}
