package dev.backstream.cli.bench;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.backstream.cli.base.UserException;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/** Runs {@code bench/ddp_reference.py}, shipped in the jar, from a temporary copy. */
final class TorchReference {
  private static final List<String> PYTHONS = List.of("python3", "/usr/bin/python3");

  private TorchReference() {}

  /** The first python that imports torch, or null. */
  static String findPython() throws InterruptedException {
    for (String p : PYTHONS) {
      if (hasTorch(p)) {
        return p;
      }
    }
    return null;
  }

  /** Whether {@code python} runs and imports torch. */
  static boolean hasTorch(String python) throws InterruptedException {
    try {
      Process p = new ProcessBuilder(python, "-c", "import torch.distributed")
          .redirectErrorStream(true).redirectOutput(ProcessBuilder.Redirect.DISCARD).start();
      if (!p.waitFor(60, TimeUnit.SECONDS)) {
        p.destroyForcibly();
        return false;
      }
      return p.exitValue() == 0;
    } catch (IOException e) {
      return false;
    }
  }

  /** Copies the script {@code name} of the jar beside {@code log}, and returns its path. */
  private static Path copy(String name, Path log) {
    Path script = log.resolveSibling(name);
    try (InputStream in = TorchReference.class.getResourceAsStream(name)) {
      if (in == null) {
        throw UserException.failure(name + " is missing from this build");
      }
      Files.copy(in, script, StandardCopyOption.REPLACE_EXISTING);
    } catch (IOException e) {
      throw UserException.failure("cannot write " + script + ": " + e.getMessage());
    }
    return script;
  }

  /**
   * Runs the reference and returns the JSON object of its last line.
   *
   * @param coretype OPENBLAS_CORETYPE for it, or empty to leave the environment's
   * @param log where its output goes
   */
  static JsonNode run(String python, String coretype, Path data, int steps, Path log)
      throws InterruptedException {
    Path script = copy("ddp_reference.py", log);
    // it reads the data with the IDX reader of the numpy reference: a module beside it
    copy("numpy_gradient.py", log);
    try {
      ProcessBuilder builder = new ProcessBuilder(python, script.toString(), "--data",
          data.toString(), "--steps", Integer.toString(steps))
          .redirectErrorStream(true).redirectOutput(log.toFile());
      Map<String, String> env = builder.environment();
      // one thread per process, as the reference; torch.set_num_threads(1) does the rest
      env.put("OMP_NUM_THREADS", "1");
      env.put("OPENBLAS_NUM_THREADS", "1");
      if (!coretype.isEmpty()) {
        env.put("OPENBLAS_CORETYPE", coretype);
      }
      Process p = builder.start();
      try {
        if (!p.waitFor(2, TimeUnit.HOURS) || p.exitValue() != 0) {
          throw UserException.failure("the DDP reference failed; its output is in " + log);
        }
      } finally {
        p.destroyForcibly();
      }
      List<String> lines = Files.readAllLines(log);
      String last = lines.isEmpty() ? "" : lines.get(lines.size() - 1);
      try {
        return new ObjectMapper().readTree(last);
      } catch (IOException e) {
        throw UserException.failure("the DDP reference's last line is not JSON; see " + log);
      }
    } catch (IOException e) {
      throw UserException.failure("cannot run the DDP reference: " + e.getMessage());
    }
  }
}
