package dev.backstream.cli.model;

import dev.backstream.cli.base.UserException;
import java.awt.image.BufferedImage;
import java.awt.image.ColorModel;
import java.awt.image.IndexColorModel;
import java.awt.image.Raster;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import javax.imageio.ImageIO;

/**
 * An image as grey levels 0..255 (doubles, so that scaling rounds only once), made from any file
 * ImageIO reads: PNG, JPEG, GIF, BMP.
 *
 * <p>Grey images give their samples unchanged: Java2D's own grey paths convert through a linear
 * colour space ({@code getRGB} of grey 128 is 188), which would brighten every stroke. Colour
 * becomes grey by the ITU-R 601 luma (0.299 R + 0.587 G + 0.114 B, as PIL's {@code convert('L')}).
 * Transparency is laid over black, MNIST's background. Immutable.
 */
final class GreyImage {
  private final int width;
  private final int height;
  private final double[] levels;

  private GreyImage(int width, int height, double[] levels) {
    this.width = width;
    this.height = height;
    this.levels = levels;
  }

  /**
   * Reads an image file.
   *
   * @throws UserException exit 2 if the file does not exist, exit 1 if it is not a readable image
   */
  static GreyImage read(Path file) {
    if (!Files.exists(file)) {
      throw UserException.usage(file + ": no such file");
    }
    if (!Files.isRegularFile(file)) {
      throw UserException.usage(file + ": is not a file");
    }
    BufferedImage image;
    try {
      image = ImageIO.read(file.toFile());
    } catch (IOException | RuntimeException e) {
      // ImageIO's decoders throw unchecked exceptions on some damaged files too.
      throw UserException.failure(file + ": cannot be read as an image: " + e.getMessage());
    }
    if (image == null) {
      throw UserException.failure(file + ": is not an image (PNG, JPEG, GIF or BMP)");
    }
    return of(image);
  }

  /** The grey levels of {@code image}. Not modified: image. */
  static GreyImage of(BufferedImage image) {
    int w = image.getWidth();
    int h = image.getHeight();
    double[] levels = new double[w * h];
    ColorModel cm = image.getColorModel();
    Raster raster = image.getRaster();
    boolean grey = cm.getNumColorComponents() == 1 && !(cm instanceof IndexColorModel);
    for (int y = 0; y < h; y++) {
      for (int x = 0; x < w; x++) {
        double level;
        double alpha;
        if (grey) {
          level = unit(raster.getSample(x, y, 0), cm.getComponentSize(0));
          alpha = cm.hasAlpha() ? unit(raster.getSample(x, y, 1), cm.getComponentSize(1)) : 1.0;
        } else {
          int argb = image.getRGB(x, y);
          level = (0.299 * (argb >> 16 & 0xff) + 0.587 * (argb >> 8 & 0xff) + 0.114 * (argb & 0xff))
              / 255.0;
          alpha = (argb >>> 24) / 255.0;
        }
        levels[y * w + x] = 255.0 * level * alpha;
      }
    }
    return new GreyImage(w, h, levels);
  }

  /** A sample of {@code bits} bits as a fraction of full scale. */
  private static double unit(int sample, int bits) {
    return sample / (double) ((1L << bits) - 1);
  }

  /** The width in pixels. */
  int width() {
    return width;
  }

  /** The height in pixels. */
  int height() {
    return height;
  }

  /** The mean grey level, 0..255. */
  double mean() {
    double sum = 0;
    for (double v : levels) {
      sum += v;
    }
    return sum / levels.length;
  }

  /** Light for dark: {@code 255 - level}. */
  GreyImage inverted() {
    double[] out = new double[levels.length];
    for (int i = 0; i < out.length; i++) {
      out[i] = 255.0 - levels[i];
    }
    return new GreyImage(width, height, out);
  }

  /**
   * This image at {@code cols x rows} by area averaging: each new pixel is the mean of the part of
   * the image it covers, weighted by overlap (a box filter, done by rows then by columns). Exact
   * for whole factors (56 to 28 averages 2x2 blocks) and an identity at the same size; enlarging
   * blends the nearest pixels.
   */
  GreyImage scaled(int cols, int rows) {
    double[] wide = new double[height * cols];
    for (int y = 0; y < height; y++) {
      for (int t = 0; t < cols; t++) {
        wide[y * cols + t] = boxMean(levels, y * width, 1, width, t, cols);
      }
    }
    double[] out = new double[rows * cols];
    for (int t = 0; t < rows; t++) {
      for (int x = 0; x < cols; x++) {
        out[t * cols + x] = boxMean(wide, x, cols, height, t, rows);
      }
    }
    return new GreyImage(cols, rows, out);
  }

  /**
   * The overlap-weighted mean of the source span of target pixel {@code t} of {@code n}, in a line
   * of {@code length} source pixels at {@code src[base + s * stride]}.
   */
  private static double boxMean(double[] src, int base, int stride, int length, int t, int n) {
    double from = (double) t * length / n;
    double to = (double) (t + 1) * length / n;
    double sum = 0;
    for (int s = (int) from; s < to && s < length; s++) {
      sum += (Math.min(to, s + 1) - Math.max(from, s)) * src[base + s * stride];
    }
    return sum / (to - from);
  }

  /** The levels rounded to bytes 0..255, row-major: as an IDX file holds an image. */
  byte[] bytes() {
    byte[] out = new byte[levels.length];
    for (int i = 0; i < out.length; i++) {
      out[i] = (byte) Math.max(0, Math.min(255, Math.round(levels[i])));
    }
    return out;
  }
}
