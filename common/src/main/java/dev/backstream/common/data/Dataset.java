package dev.backstream.common.data;

import java.util.Objects;

/**
 * A dataset as training uses it: its name and its training and test images.
 *
 * @param name which dataset the images are (a subset made for tests keeps the full set's name)
 * @param train the training images, 60,000 for the full MNIST
 * @param test the test images, 10,000 for the full MNIST
 */
public record Dataset(DatasetName name, LabeledImages train, LabeledImages test) {

  /** Checks that all parts are present and both sets have the same image size. */
  public Dataset {
    Objects.requireNonNull(name, "name");
    Objects.requireNonNull(train, "train");
    Objects.requireNonNull(test, "test");
    if (train.rows() != test.rows() || train.cols() != test.cols()) {
      throw new IllegalArgumentException(
          "train images are "
              + train.rows()
              + "x"
              + train.cols()
              + " but test images are "
              + test.rows()
              + "x"
              + test.cols());
    }
  }
}
