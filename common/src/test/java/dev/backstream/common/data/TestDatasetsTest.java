package dev.backstream.common.data;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Optional;
import org.junit.jupiter.api.Test;

final class TestDatasetsTest {
  private final Dataset subset = TestDatasets.mnistSubset();

  @Test
  void holdsTheFirst2000TrainingAnd500TestImages() {
    assertThat(subset.name()).isEqualTo(DatasetName.MNIST);
    assertThat(subset.train().count()).isEqualTo(2000);
    assertThat(subset.test().count()).isEqualTo(500);
    assertThat(subset.train().features()).isEqualTo(784);
    assertThat(subset.test().rows()).isEqualTo(28);
  }

  @Test
  void labelsAreDigitsStartingAsMnistDoes() {
    for (int i = 0; i < subset.train().count(); i++) {
      assertThat(subset.train().label(i)).isBetween(0, 9);
    }
    assertThat(subset.train().head(10).labels()).containsExactly(5, 0, 4, 1, 9, 2, 1, 3, 1, 4);
    assertThat(subset.test().head(10).labels()).containsExactly(7, 2, 1, 0, 4, 1, 4, 9, 5, 9);
  }

  @Test
  void aboutOneFifthOfPixelsAreInk() {
    LabeledImages train = subset.train();
    long nonZero = 0;
    for (int i = 0; i < train.count(); i++) {
      for (int p = 0; p < train.features(); p++) {
        nonZero += train.pixel(i, p) == 0 ? 0 : 1;
      }
    }
    double share = (double) nonZero / ((long) train.count() * train.features());

    // DATA.md measured 18.7% over 100 images; the sparse first layer relies on it.
    assertThat(share).isBetween(0.17, 0.21);
  }

  @Test
  void isLoadedOnceAndShared() {
    assertThat(TestDatasets.mnistSubset()).isSameAs(subset);
  }

  @Test
  void isTheHeadOfTheFullSetWhereThatIsCached() {
    Path full = DataCache.folder(DatasetName.MNIST, Optional.empty());
    assumeTrue(Files.isDirectory(full), "no full MNIST in " + full);

    Dataset dataset = DataCache.load(DatasetName.MNIST, full);

    assertThat(dataset.train().head(2000)).isEqualTo(subset.train());
    assertThat(dataset.test().head(500)).isEqualTo(subset.test());
  }
}
