package dev.negbench;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/**
 * Committed results, docs, configs, the rendered report and the README name no absolute folder of
 * the machine they were made on: a script or log beside a result reruns elsewhere only with
 * relative paths, {@code $NEGBENCH_WORK} (the work folder) and {@code $NEGBENCH_DATA} (the data
 * folder, {@code ../shared/data} beside the checkout). Each offender is reported as file:line.
 *
 * <p>Allowed: JMH's {@code "jvm"} field in a JSON file, which records the java binary that ran as
 * JMH writes it (e.g. {@code /usr/lib/jvm/temurin-25-jdk-amd64/bin/java}); system folders such as
 * {@code /usr} and {@code /etc}, which name no machine's files; a folder that does not exist yet
 * (docs/ on some branches).
 */
class PortablePathsTest {
  /** What is scanned, relative to the repository root. */
  static final List<Path> SCANNED =
      List.of(
          Path.of("results"),
          Path.of("docs"),
          Path.of("configs"),
          Path.of("report"),
          Path.of("README.md"));

  /**
   * A machine's folder: /work, /workspace, /root, /tmp, /var/tmp, /mnt, /media, /scratch, /data,
   * /srv, /lustre, /gpfs, /nfs, /home/USER, /Users/USER, or C:\Users\USER, starting a path (not
   * after a word character, '.', '~', '$', '}', '>', '/', '\' or '-', so ../shared/data/scifact,
   * $HOME/work, {@code <clone>/work} (a placeholder a script wrote for its clone's folder) and
   * https://host/tmp/ pass) and ending the folder name (/workshop is not /work).
   */
  static final Pattern MACHINE_FOLDER =
      Pattern.compile(
          "(?<![\\w.~$}>/\\\\-])(?:/(?:work|workspace|root|tmp|var/tmp|mnt|media|scratch|data|srv"
              + "|lustre|gpfs|nfs)(?![\\w.-])|/(?:home|Users)/[\\w.-]+|[A-Za-z]:\\\\Users\\\\)");

  /** JMH's {@code "jvm" : "/path/to/bin/java"} line in its JSON result files. */
  private static final Pattern JMH_JVM = Pattern.compile("^\\s*\"jvm\"\\s*:\\s*\"[^\"]*\",?\\s*$");

  /** Each offending line of {@code text} as {@code file:line: text}. */
  static List<String> offenders(String file, String text) {
    List<String> out = new ArrayList<>();
    String[] lines = text.split("\n", -1);
    for (int i = 0; i < lines.length; i++) {
      String line = lines[i];
      if (file.endsWith(".json") && JMH_JVM.matcher(line).matches()) {
        continue;
      }
      Matcher m = MACHINE_FOLDER.matcher(line);
      if (m.find()) {
        out.add(file + ":" + (i + 1) + ": " + line.strip());
      }
    }
    return out;
  }

  @Test
  void committedFilesNameNoFolderOfTheMachine() throws IOException {
    List<String> found = new ArrayList<>();
    int files = 0;
    for (Path root : SCANNED) {
      if (!Files.exists(root)) {
        continue;
      }
      List<Path> paths;
      try (Stream<Path> s = Files.walk(root)) {
        paths = s.filter(Files::isRegularFile).sorted().toList();
      }
      for (Path p : paths) {
        byte[] bytes = Files.readAllBytes(p);
        if (isBinary(bytes)) {
          continue;
        }
        files++;
        found.addAll(offenders(p.toString(), new String(bytes, StandardCharsets.UTF_8)));
      }
    }
    assertTrue(files > 100, "scanned only " + files + " files: run from the repository root");
    assertTrue(
        found.isEmpty(),
        found.size()
            + " line(s) name a folder of the machine (write a relative path, $NEGBENCH_WORK or"
            + " $NEGBENCH_DATA):\n"
            + String.join("\n", found));
  }

  /** The pattern itself, on lines that must and must not be flagged. */
  @Test
  void machineFoldersAreFoundAndPortablePathsPass() {
    for (String bad :
        List.of(
            "cd /work/runsci",
            "D=/work/shared/data/scifact",
            "\"dataset\" : \"/work/shared/data/scifact\",",
            "NEGBENCH_JAVA_OPTS=-Xlog:gc:file=/tmp/gc.log",
            "--run /tmp/big/hnsw.run",
            "cp /root/.djl.ai/x .",
            "model at /home/alice/models/minilm",
            "see /Users/bob/negbench",
            "mount /mnt/disk1",
            "/scratch/u/run",
            "(/data/beir/scifact)",
            "C:\\Users\\carol\\negbench",
            "ls /tmp")) {
      assertEquals(1, offenders("x.txt", bad).size(), bad);
    }
    for (String good :
        List.of(
            "../shared/data/scifact",
            "configs: ../data/msmarco",
            "$NEGBENCH_WORK/ce-run2/ce-minilm",
            "${NEGBENCH_WORK:-work}/envbench",
            "$HOME/work/x and ~/tmp/y",
            "https://github.com/x/tmp/work/",
            "file:/usr/share/maven/lib/guava.jar",
            "#!/usr/bin/env bash",
            "/workshop/ and /database/",
            "results/baselines/scifact-run/reproduce.sh",
            "report <clone>/work/demo/report/index.html")) {
      assertEquals(List.of(), offenders("x.txt", good), good);
    }
    String jvm = "    \"jvm\" : \"/home/alice/jdk-25/bin/java\",";
    assertEquals(List.of(), offenders("results/jmh/x.json", jvm), "JMH's jvm field");
    assertEquals(1, offenders("x.txt", jvm).size(), "a jvm line outside JSON");
    assertEquals(
        List.of("f.log:2: cd /work/x"), offenders("f.log", "ok\ncd /work/x\n"), "file:line");
  }

  private static boolean isBinary(byte[] bytes) {
    for (int i = 0; i < Math.min(bytes.length, 8192); i++) {
      if (bytes[i] == 0) {
        return true;
      }
    }
    return false;
  }
}
