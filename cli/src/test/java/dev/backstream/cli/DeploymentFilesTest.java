package dev.backstream.cli;

import static org.assertj.core.api.Assertions.assertThat;

import dev.backstream.cli.testing.Executables;
import dev.backstream.common.data.DataCache;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.FileSystems;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.PathMatcher;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import javax.xml.parsers.DocumentBuilderFactory;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.w3c.dom.Document;
import org.w3c.dom.Element;
import org.w3c.dom.NodeList;
import org.yaml.snakeyaml.Yaml;
import picocli.CommandLine;
import picocli.CommandLine.Model.OptionSpec;

/**
 * The Dockerfile, .dockerignore and docker-compose.yml, checked as far as a machine without a
 * Docker engine allows: the image's build steps against the Maven build, the compose topology, and
 * the compose file against {@code docker-compose config} where that binary exists (else reported
 * as skipped).
 */
class DeploymentFilesTest {
  private static final Path ROOT = repositoryRoot();
  private static final Pattern ENV_DEFAULT = Pattern.compile("\\$\\{env:(BACKSTREAM_[A-Z_]+)");
  private static final Pattern INTERPOLATED = Pattern.compile("\\$\\{(BACKSTREAM_[A-Z_]+)");
  /** Read outside picocli: the dataset parent (DataCache) and the log level (logback.xml). */
  private static final Set<String> OTHER_ENV = Set.of(DataCache.DATA_ENV, "BACKSTREAM_LOG_LEVEL");
  /** Compose's own knobs: replicas at start, and the image tag. */
  private static final Set<String> COMPOSE_ONLY = Set.of("BACKSTREAM_WORKERS", "BACKSTREAM_IMAGE_TAG", "BACKSTREAM_HTTP_PORT");

  // ---- Dockerfile ----

  @Test
  void imageRunsTheJarTheBuildMakes() throws Exception {
    Dockerfile docker = Dockerfile.read(ROOT.resolve("Dockerfile"));
    String jar = "cli/target/" + shadedJarName(ROOT.resolve("cli/pom.xml")) + ".jar";

    assertThat(docker.buildRuns()).anyMatch(r -> r.contains("./mvnw -q -DskipTests package"));
    assertThat(docker.copyFromBuild()).as("what stage 2 copies out of stage 1")
        .containsEntry(docker.buildWorkdir() + "/" + jar, "/app/backstream.jar");
    assertThat(docker.entrypoint()).isEqualTo("[\"java\", \"-jar\", \"/app/backstream.jar\"]");
    // JAR=prebuilt puts the host's jar where the source build leaves it; the default builds
    assertThat(docker.buildStageFor("source")).isEqualTo("jar-source");
    assertThat(docker.buildStageFor("prebuilt")).isEqualTo("jar-prebuilt");
    assertThat(docker.prebuiltCopies())
        .containsExactly("COPY backstream.jar " + docker.buildWorkdir() + "/" + jar);
    // a "# syntax=" line would make BuildKit pull a frontend image
    assertThat(Files.readAllLines(ROOT.resolve("Dockerfile"))).contains("ARG JAR=source")
        .noneMatch(l -> l.startsWith("# syntax="));
    // bin/backstream runs the same file
    assertThat(Files.readString(ROOT.resolve("bin/backstream"))).contains("/" + jar + "\"");
  }

  @Test
  void imageRunsAsAnUnprivilegedUser() throws Exception {
    String user = Dockerfile.read(ROOT.resolve("Dockerfile")).runtimeUser();
    assertThat(user).isNotNull().doesNotStartWith("root").doesNotStartWith("0:").isNotEqualTo("0");
  }

  @Test
  void buildStageGetsEveryModuleAndNothingTheHostBuilt() throws Exception {
    Dockerfile docker = Dockerfile.read(ROOT.resolve("Dockerfile"));
    List<PathMatcher> ignored = dockerignore(ROOT.resolve(".dockerignore"));
    List<String> sources = docker.buildCopySources();

    for (String module : modules(ROOT.resolve("pom.xml"))) {
      assertThat(sources).as("module %s is copied into the build stage", module)
          .anyMatch(s -> strip(s).equals(module));
    }
    assertThat(sources).anyMatch(s -> strip(s).equals("bench"));
    assertThat(sources).anyMatch(s -> strip(s).equals(".mvn")).contains("mvnw");
    for (String source : sources) {
      assertThat(ROOT.resolve(strip(source))).as("COPY source %s", source).exists();
      assertThat(isIgnored(ignored, strip(source))).as("COPY source %s is in the context", source).isFalse();
    }
    assertThat(isIgnored(ignored, "cli/target/backstream.jar")).as("a host-built jar never reaches the image").isTrue();
    assertThat(isIgnored(ignored, ".git")).isTrue();
    assertThat(isIgnored(ignored, "common/src/test/resources/mnist-subset/train-images-idx3-ubyte.gz"))
        .as("the committed subset, needed to build common's test jar").isFalse();
  }

  // ---- docker-compose.yml ----

  @Test
  void composeHasTheFiveServicesWithAScalableWorker() throws Exception {
    Map<String, Map<String, Object>> services = services();

    assertThat(services).containsOnlyKeys("kafka", "data", "coordinator", "worker", "metrics");
    assertThat((String) services.get("kafka").get("image")).contains("apache/kafka:");
    assertThat(services.get("kafka")).containsKey("healthcheck");
    assertThat(services.get("worker")).doesNotContainKeys("container_name", "ports");
    assertThat(services.get("data").get("command")).isEqualTo(List.of("data", "fetch"));
    assertThat(services.get("metrics").get("command")).isEqualTo(List.of("metrics", "--follow"));
    for (String role : List.of("coordinator", "worker")) {
      @SuppressWarnings("unchecked")
      Map<String, Map<String, String>> dependsOn =
          (Map<String, Map<String, String>>) services.get(role).get("depends_on");
      assertThat(dependsOn.get("kafka")).containsEntry("condition", "service_healthy");
      assertThat(dependsOn.get("data")).containsEntry("condition", "service_completed_successfully");
    }
    for (String role : List.of("data", "coordinator", "worker", "metrics")) {
      assertThat(services.get(role)).as(role).containsKeys("build", "image");
    }
  }

  @Test
  void composeSetsEveryTrainingOptionThroughVariablesTheCliReads() throws Exception {
    Set<String> cliReads = cliEnvironmentVariables();
    assertThat(cliReads).as("env names found in picocli's defaults")
        .contains("BACKSTREAM_STEPS", "BACKSTREAM_BOOTSTRAP", "BACKSTREAM_ACTORS", "BACKSTREAM_RUN");
    String text = Files.readString(ROOT.resolve("docker-compose.yml"));

    for (String role : List.of("data", "coordinator", "worker", "metrics")) {
      Set<String> set = environment(services().get(role)).keySet();
      assertThat(set).as("%s's variables are all read by backstream", role)
          .allMatch(name -> cliReads.contains(name) || OTHER_ENV.contains(name));
    }
    Set<String> coordinatorEnv = environment(services().get("coordinator")).keySet();
    for (String option : List.of("STEPS", "BATCH", "LR", "HIDDEN", "ACTIVATION", "SEED", "SHARDS",
        "RUN", "BOOTSTRAP", "DATASET", "CHECKPOINT_EVERY", "CONNECT_TIMEOUT", "RUN_KEY_FILE")) {
      assertThat(coordinatorEnv).contains("BACKSTREAM_" + option);
      assertThat(text).as("the user's %s reaches the containers", option)
          .contains("${BACKSTREAM_" + option + ":-");
    }
    Matcher m = INTERPOLATED.matcher(text);
    while (m.find()) {
      assertThat(cliReads.contains(m.group(1)) || OTHER_ENV.contains(m.group(1))
          || COMPOSE_ONLY.contains(m.group(1))).as("compose variable %s means something", m.group(1)).isTrue();
    }
  }

  @Test
  void composeFileValidatesWithDockerCompose() throws Exception {
    Path compose = Executables.onPath("docker-compose");
    Assumptions.assumeTrue(compose != null, "docker-compose is not installed: .ci/run installs "
        + "Debian's docker-compose 1.29 (apt-get install -y --no-install-recommends docker-compose)");
    // one broker, three, three secured: each override on top of the files it extends
    List<String> files = List.of("docker-compose.yml", "docker-compose.brokers3.yml",
        "docker-compose.secured.yml");
    for (int n = 1; n <= files.size(); n++) {
      List<String> command = new ArrayList<>(List.of(compose.toString()));
      files.subList(0, n).forEach(f -> command.addAll(List.of("-f", f)));
      command.addAll(List.of("config", "-q"));
      Process p = new ProcessBuilder(command).directory(ROOT.toFile()).redirectErrorStream(true)
          .start();
      String output = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
      assertThat(p.waitFor(60, TimeUnit.SECONDS)).isTrue();
      assertThat(p.exitValue()).as("docker-compose %s config says: %s", files.subList(0, n),
          output).isZero();
    }
  }

  // ---- helpers ----

  private static Path repositoryRoot() {
    Path dir = Path.of("").toAbsolutePath();
    while (dir != null && !Files.isRegularFile(dir.resolve("Dockerfile"))) {
      dir = dir.getParent();
    }
    if (dir == null) {
      throw new IllegalStateException("no Dockerfile above " + Path.of("").toAbsolutePath());
    }
    return dir;
  }

  private static String strip(String source) {
    return source.replaceAll("/+$", "");
  }

  @SuppressWarnings("unchecked")
  private static Map<String, Map<String, Object>> services() throws IOException {
    Map<String, Object> file = new Yaml().load(Files.readString(ROOT.resolve("docker-compose.yml")));
    return (Map<String, Map<String, Object>>) file.get("services");
  }

  @SuppressWarnings("unchecked")
  private static Map<String, Object> environment(Map<String, Object> service) {
    return (Map<String, Object>) service.get("environment");
  }

  /** Every BACKSTREAM_* variable an option of any subcommand defaults to. */
  private static Set<String> cliEnvironmentVariables() {
    Set<String> names = new TreeSet<>();
    List<CommandLine> pending = new ArrayList<>(List.of(Main.commandLine()));
    while (!pending.isEmpty()) {
      CommandLine cmd = pending.remove(pending.size() - 1);
      pending.addAll(cmd.getSubcommands().values());
      for (OptionSpec option : cmd.getCommandSpec().options()) {
        String raw = option.defaultValueString(false);
        Matcher m = ENV_DEFAULT.matcher(raw == null ? "" : raw);
        while (m.find()) {
          names.add(m.group(1));
        }
      }
    }
    return names;
  }

  private static String shadedJarName(Path pom) throws Exception {
    Document doc = DocumentBuilderFactory.newInstance().newDocumentBuilder().parse(pom.toFile());
    NodeList plugins = doc.getElementsByTagName("plugin");
    for (int i = 0; i < plugins.getLength(); i++) {
      Element plugin = (Element) plugins.item(i);
      if ("maven-shade-plugin".equals(text(plugin, "artifactId"))) {
        return text(plugin, "finalName");
      }
    }
    throw new AssertionError("no maven-shade-plugin in " + pom);
  }

  private static List<String> modules(Path pom) throws Exception {
    Document doc = DocumentBuilderFactory.newInstance().newDocumentBuilder().parse(pom.toFile());
    NodeList modules = doc.getElementsByTagName("module");
    List<String> names = new ArrayList<>();
    for (int i = 0; i < modules.getLength(); i++) {
      names.add(modules.item(i).getTextContent().trim());
    }
    assertThat(names).isNotEmpty();
    return names;
  }

  private static String text(Element parent, String tag) {
    NodeList nodes = parent.getElementsByTagName(tag);
    return nodes.getLength() == 0 ? null : nodes.item(0).getTextContent().trim();
  }

  /** The .dockerignore patterns as globs; a pattern also excludes everything under it. */
  private static List<PathMatcher> dockerignore(Path file) throws IOException {
    return Files.readAllLines(file).stream().map(String::trim)
        .filter(l -> !l.isEmpty() && !l.startsWith("#"))
        .peek(l -> assertThat(l).as("negations are not modelled here").doesNotStartWith("!"))
        .map(l -> FileSystems.getDefault().getPathMatcher("glob:" + l.replaceAll("^/", "")))
        .collect(Collectors.toList());
  }

  private static boolean isIgnored(List<PathMatcher> patterns, String relative) {
    // Docker's "**/x" also matches "x" at the root; Java's glob needs a separator for "**/".
    for (Path p = Path.of(relative); p != null; p = p.getParent()) {
      Path candidate = Path.of("./").resolve(p);
      for (PathMatcher m : patterns) {
        if (m.matches(p) || m.matches(candidate)) {
          return true;
        }
      }
    }
    return false;
  }

  /** Just enough of a Dockerfile parser for ours: stages, COPY, RUN, USER, ENTRYPOINT. */
  private record Dockerfile(List<List<String>> stages) {
    static Dockerfile read(Path file) throws IOException {
      String joined = Files.readString(file).replaceAll("\\\\\\n", " ");
      List<List<String>> stages = new ArrayList<>();
      List<String> current = null;
      for (String line : joined.split("\n")) {
        String l = line.trim();
        if (l.isEmpty() || l.startsWith("#")) {
          continue;
        }
        if (l.startsWith("FROM ")) {
          current = new ArrayList<>();
          stages.add(current);
        }
        if (current != null) {
          current.add(l.replaceAll("\\s+", " "));
        }
      }
      // jar-source builds, jar-prebuilt takes the host's jar, build is the chosen one, then runtime
      assertThat(stages).as("a multi-stage build").hasSize(4);
      return new Dockerfile(stages);
    }

    /** The stage that builds the jar from the sources; the runtime is the last stage. */
    private int buildStage() {
      for (int i = 0; i < stages.size(); i++) {
        if (stages.get(i).get(0).endsWith(" AS jar-source")) {
          return i;
        }
      }
      throw new AssertionError("no stage named jar-source");
    }

    private int runtimeStage() {
      return stages.size() - 1;
    }

    /** What the stage {@code build} resolves to for {@code JAR=value}, as its FROM line says. */
    String buildStageFor(String value) {
      for (List<String> stage : stages) {
        if (stage.get(0).endsWith(" AS build")) {
          return stage.get(0).split(" ")[1].replace("${JAR}", value);
        }
      }
      throw new AssertionError("no stage named build");
    }

    List<String> prebuiltCopies() {
      for (List<String> stage : stages) {
        if (stage.get(0).endsWith(" AS jar-prebuilt")) {
          return stage.stream().filter(l -> l.startsWith("COPY ")).collect(Collectors.toList());
        }
      }
      throw new AssertionError("no stage named jar-prebuilt");
    }

    List<String> instructions(int stage, String keyword) {
      return stages.get(stage).stream().filter(l -> l.startsWith(keyword + " "))
          .map(l -> l.substring(keyword.length() + 1)).collect(Collectors.toList());
    }

    List<String> buildRuns() {
      return instructions(buildStage(), "RUN");
    }

    String buildWorkdir() {
      return instructions(buildStage(), "WORKDIR").get(0);
    }

    List<String> buildCopySources() {
      List<String> sources = new ArrayList<>();
      for (String copy : instructions(buildStage(), "COPY")) {
        String[] parts = copy.split(" ");
        sources.addAll(List.of(parts).subList(0, parts.length - 1));
      }
      return sources;
    }

    Map<String, String> copyFromBuild() {
      return instructions(runtimeStage(), "COPY").stream().filter(c -> c.startsWith("--from=build "))
          .map(c -> c.substring("--from=build ".length()).split(" "))
          .collect(Collectors.toMap(p -> p[0], p -> p[1]));
    }

    String entrypoint() {
      List<String> e = instructions(runtimeStage(), "ENTRYPOINT");
      return e.isEmpty() ? null : e.get(e.size() - 1);
    }

    String runtimeUser() {
      List<String> u = instructions(runtimeStage(), "USER");
      return u.isEmpty() ? null : u.get(u.size() - 1);
    }
  }
}
