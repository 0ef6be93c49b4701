package dev.negbench.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.negbench.model.Fixtures;
import java.io.File;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code reproduce} as cooperating workers: several processes on one work and results folder divide
 * the cells, build every stage once, and end with the results one process writes. Real processes
 * (the CLI in JVMs of their own), real training of the tiny fixture model.
 */
class WorkersTest {
  @TempDir Path tmp;

  /** A done stage in a worker's log: {@code STAGE WHAT: done in S s -> WORK/stages/STAGE/HASH}. */
  private static final Pattern DONE =
      Pattern.compile(": done in [0-9.]+ s -> .*stages/([^/]+/[0-9a-f]{20})$");

  private Path config() throws IOException {
    String model = Fixtures.dir(Fixtures.BI_ENCODER).toString();
    Path c = tmp.resolve("grid.yaml");
    Files.writeString(
        c,
        """
        name: grid
        datasets: [synthetic:200]
        seeds: [1, 2]
        sources:
          - {type: bm25, num_negatives: 1}
          - {name: bm25-random, type: bm25, num_negatives: 1, sampling: random, range_max: 20}
        training: {model: %s, batch_size: 8, epochs: 2, max_query_length: 16, max_passage_length: 32}
        evaluation: {max_length: 32, top_k: 50}
        analysis: {hardness: false}
        """
            .formatted(model));
    return c;
  }

  private List<String> args(Path config, String name) {
    return List.of(
        "reproduce",
        "--config=" + config,
        "--work-dir=" + tmp.resolve(name + "-work"),
        "--results=" + tmp.resolve(name + "-results"),
        "--lease-timeout=5");
  }

  /** The serial run every shared one must equal. */
  private Path reference(Path config) {
    CliTest.Outcome o = CliTest.run(args(config, "serial").toArray(String[]::new));
    assertEquals(0, o.code(), o.err());
    return tmp.resolve("serial-results");
  }

  /**
   * The CLI's runtime classpath: this test's, without the test classes and the test-only jars
   * (JUnit, ArchUnit, JMH and theirs), as target/negbench.jar's manifest lists it. With them,
   * libtorch crashed a fresh JVM with SIGSEGV in export-onnx on this VM.
   */
  private static final Pattern TEST_ONLY =
      Pattern.compile(
          "test-classes|junit|opentest4j|apiguardian|archunit|jmh-|jopt-simple|commons-math3");

  private List<Process> start(Path config, String name, int workers) throws IOException {
    String classpath =
        Stream.of(System.getProperty("java.class.path").split(File.pathSeparator))
            .filter(e -> !TEST_ONLY.matcher(e).find())
            .collect(Collectors.joining(File.pathSeparator));
    List<Process> ps = new ArrayList<>();
    for (int w = 0; w < workers; w++) {
      List<String> cmd =
          new ArrayList<>(
              List.of(
                  Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                  "-Xmx1g",
                  "--add-modules=jdk.incubator.vector",
                  "--enable-native-access=ALL-UNNAMED",
                  "-Dai.djl.offline=true",
                  "-cp",
                  classpath,
                  "dev.negbench.cli.Main"));
      cmd.addAll(args(config, name));
      ps.add(
          new ProcessBuilder(cmd)
              .redirectOutput(ProcessBuilder.Redirect.DISCARD)
              .redirectError(tmp.resolve(name + "-" + w + ".log").toFile())
              .start());
    }
    return ps;
  }

  private static int await(Process p) throws InterruptedException {
    assertTrue(p.waitFor(5, TimeUnit.MINUTES), "a worker did not finish in 5 minutes");
    return p.exitValue();
  }

  /** Stage key to the number of "done" lines naming it, over every worker's log. */
  private Map<String, Integer> doneLines(String name, int workers) throws IOException {
    Map<String, Integer> done = new HashMap<>();
    for (int w = 0; w < workers; w++) {
      for (String line : Files.readAllLines(tmp.resolve(name + "-" + w + ".log"))) {
        Matcher m = DONE.matcher(line);
        if (m.find()) {
          done.merge(m.group(1), 1, Integer::sum);
        }
      }
    }
    return done;
  }

  /** Every finished stage folder under a work folder, as STAGE/HASH. */
  private static List<String> stages(Path work) throws IOException {
    try (Stream<Path> s = Files.walk(work.resolve("stages"), 2)) {
      return s.filter(p -> p.getFileName().toString().matches("[0-9a-f]{20}"))
          .map(p -> p.getParent().getFileName() + "/" + p.getFileName())
          .sorted()
          .toList();
    }
  }

  /** metrics.json (but its wall times) and per-query.csv of every result, as in the reference. */
  private static void assertSameResults(Path reference, Path results) throws IOException {
    List<Path> files;
    try (Stream<Path> s = Files.walk(reference)) {
      files =
          s.filter(
                  p ->
                      p.getFileName().toString().equals("metrics.json")
                          || p.getFileName().toString().equals("per-query.csv"))
              .sorted()
              .toList();
    }
    assertEquals(5 * 2, files.size(), "zero-shot and 2 sources x 2 seeds");
    for (Path f : files) {
      Path other = results.resolve(reference.relativize(f));
      assertTrue(Files.isRegularFile(other), other + " is missing");
      assertEquals(withoutSeconds(f), withoutSeconds(other), other.toString());
    }
  }

  private static List<String> withoutSeconds(Path f) throws IOException {
    return Files.readAllLines(f).stream().filter(l -> !l.contains("\"seconds\"")).toList();
  }

  private static String read(Path f) {
    try {
      return Files.readString(f);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  @Test
  void twoWorkersShareTheGridAndComputeEveryStageOnce() throws Exception {
    Path config = config();
    Path reference = reference(config);
    List<Process> ps = start(config, "two", 2);
    for (Process p : ps) {
      assertEquals(0, await(p), Files.readString(tmp.resolve("two-" + ps.indexOf(p) + ".log")));
    }
    assertSameResults(reference, tmp.resolve("two-results"));
    Map<String, Integer> done = doneLines("two", 2);
    List<String> stages = stages(tmp.resolve("two-work"));
    assertEquals(stages, done.keySet().stream().sorted().toList(), "a done line per stage");
    done.forEach((stage, n) -> assertEquals(1, n, stage + " was computed " + n + " times"));
    for (int w = 0; w < 2; w++) {
      String log = Files.readString(tmp.resolve("two-" + w + ".log"));
      assertTrue(
          log.matches("(?s).*worker \\S+ pid \\d+: took \\d+ of 5 cells.*waited [0-9.]+ s.*"), log);
    }
  }

  @Test
  void aWorkerKilledInsideAStageIsTakenOverAndOnlyThatStageRunsTwice() throws Exception {
    Path config = config();
    Path reference = reference(config);
    List<Process> ps = start(config, "three", 3);
    Path work = tmp.resolve("three-work/stages");
    // The first training stage seen running: its lease names the worker to kill.
    Optional<ProcessHandle> victim = Optional.empty();
    String killed = null;
    long deadline = System.nanoTime() + TimeUnit.MINUTES.toNanos(4);
    while (victim.isEmpty() && System.nanoTime() < deadline) {
      Thread.sleep(20);
      Path train = work.resolve("train");
      if (!Files.isDirectory(train)) {
        continue;
      }
      try (Stream<Path> s = Files.list(train)) {
        // Only a lease itself (.HASH.lease.G): a worker that loses the race to create one leaves
        // its own pid in .HASH.lease.G.ID.tmp for a moment, and killing it tests nothing.
        for (Path lease :
            s.filter(p -> p.getFileName().toString().matches("\\..+\\.lease\\.[0-9]+")).toList()) {
          String name = lease.getFileName().toString();
          String hash = name.replaceAll("^\\.|\\.lease\\..*$", "");
          String generation = name.substring(name.lastIndexOf('.') + 1);
          // Its body running, not yet moved into place: killed now, the stage is unfinished.
          if (!Files.isDirectory(train.resolve("." + hash + ".running." + generation))) {
            continue;
          }
          String text;
          try {
            text = Files.readString(lease);
          } catch (IOException gone) {
            continue;
          }
          Matcher pid = Pattern.compile("\"pid\"\\s*:\\s*([0-9]+)").matcher(text);
          if (pid.find()) {
            long id = Long.parseLong(pid.group(1));
            victim = ps.stream().map(Process::toHandle).filter(h -> h.pid() == id).findFirst();
            killed = "train/" + hash;
          }
        }
      }
    }
    assertTrue(victim.isPresent(), "no training stage was seen running");
    assertTrue(victim.get().destroyForcibly(), "SIGKILL");
    int killedIndex = -1;
    for (int w = 0; w < 3; w++) {
      int code = await(ps.get(w));
      if (ps.get(w).pid() == victim.get().pid()) {
        killedIndex = w;
        assertEquals(137, code, "killed by SIGKILL");
      } else {
        assertEquals(0, code, Files.readString(tmp.resolve("three-" + w + ".log")));
      }
    }
    assertTrue(killedIndex >= 0);
    int k = killedIndex;
    assertSameResults(reference, tmp.resolve("three-results"));
    Map<String, Integer> done = doneLines("three", 3);
    assertEquals(stages(tmp.resolve("three-work")), done.keySet().stream().sorted().toList());
    done.forEach((stage, n) -> assertEquals(1, n, stage + " was finished " + n + " times"));
    assertNotNull(done.get(killed), "the killed stage " + killed + " was finished by a survivor");
    String hash = killed.substring("train/".length());
    assertTrue(
        Stream.of(0, 1, 2)
            .filter(w -> w != k)
            .anyMatch(
                w ->
                    read(tmp.resolve("three-" + w + ".log"))
                        .contains(hash + ": taking it over from")),
        "a survivor says it took the killed stage over");
    String killedLog = Files.readString(tmp.resolve("three-" + killedIndex + ".log"));
    assertFalse(killedLog.contains(killed + "\n"), "the killed worker never finished it");
    try (Stream<Path> s = Files.walk(work)) {
      assertEquals(
          List.of(),
          s.filter(p -> p.getFileName().toString().contains(".running.")).toList(),
          "no temporary stage folder is left");
    }
  }
}
