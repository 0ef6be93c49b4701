package dev.negbench.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Locale;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code check-kernels}: the CI guard fails on a slower kernel and on one that did not run. */
class CheckKernelsCommandTest {
  @TempDir Path tmp;

  /** A JMH -rf json file: a throughput kernel (ops/s) and a time-per-operation one (s/op). */
  private Path jmh(String name, double opsPerSecond, double secondsPerOp, boolean withTime)
      throws IOException {
    String thrpt = entry("dev.negbench.bench.DenseSearchBenchmark.search", "thrpt", opsPerSecond);
    String avgt = entry("dev.negbench.bench.IndexBuildBenchmark.build", "avgt", secondsPerOp);
    Path p = tmp.resolve(name);
    Files.writeString(p, "[" + thrpt + (withTime ? "," + avgt : "") + "]");
    return p;
  }

  private static String entry(String benchmark, String mode, double score) {
    return String.format(
        Locale.ROOT,
        "{\"benchmark\":\"%s\",\"mode\":\"%s\",\"threads\":1,\"forks\":1,"
            + "\"jvmArgs\":[\"-Dnegbench.commit=abc1234\"],\"params\":{\"docs\":\"10000\"},"
            + "\"primaryMetric\":{\"score\":%s,\"scoreError\":1.0,\"scoreUnit\":\"%s\"}}",
        benchmark,
        mode,
        score,
        mode.equals("thrpt") ? "ops/s" : "s/op");
  }

  @Test
  void aKernelAtAThirdOfItsCommittedSpeedFails() throws IOException {
    Path committed = jmh("committed.json", 300, 2.0, true);
    CliTest.Outcome same =
        CliTest.run(
            "check-kernels",
            "--committed=" + committed,
            "--current=" + jmh("same.json", 240, 2.5, true));
    assertEquals(0, same.code(), same.out() + same.err());
    assertTrue(same.out().contains("(commit abc1234)"), same.out());
    assertTrue(same.out().contains("2 of 2 points hold"), same.out());

    CliTest.Outcome slowScan =
        CliTest.run(
            "check-kernels",
            "--committed=" + committed,
            "--current=" + jmh("slow.json", 100, 2.0, true));
    assertEquals(1, slowScan.code(), slowScan.out());
    assertTrue(
        slowScan.out().contains("FAIL  DenseSearchBenchmark.search [docs=10000] thrpt")
            && slowScan.out().contains("speed 0.33x"),
        slowScan.out());

    CliTest.Outcome slowBuild =
        CliTest.run(
            "check-kernels",
            "--committed=" + committed,
            "--current=" + jmh("slow-build.json", 300, 6.0, true));
    assertEquals(1, slowBuild.code(), slowBuild.out());
    assertTrue(slowBuild.out().contains("FAIL  IndexBuildBenchmark.build"), slowBuild.out());
  }

  @Test
  void aCommittedKernelMissingFromTheRunFailsAndANewOnePasses() throws IOException {
    CliTest.Outcome missing =
        CliTest.run(
            "check-kernels",
            "--committed=" + jmh("committed.json", 300, 2.0, true),
            "--current=" + jmh("partial.json", 300, 2.0, false));
    assertEquals(1, missing.code(), missing.out());
    assertTrue(missing.out().contains("not in the new run"), missing.out());

    CliTest.Outcome added =
        CliTest.run(
            "check-kernels",
            "--committed=" + jmh("old.json", 300, 2.0, false),
            "--current=" + jmh("more.json", 300, 2.0, true));
    assertEquals(0, added.code(), added.out());
    assertTrue(added.out().contains("no committed figure"), added.out());
  }

  @Test
  void badInputExitsTwo() throws IOException {
    Path bad = tmp.resolve("bad.json");
    Files.writeString(bad, "{\"not\": \"an array\"}");
    CliTest.Outcome notJmh =
        CliTest.run(
            "check-kernels", "--committed=" + bad, "--current=" + jmh("ok.json", 1, 1, false));
    assertEquals(2, notJmh.code(), notJmh.err());
    assertTrue(notJmh.err().contains("bad.json"), notJmh.err());
    CliTest.Outcome ratio =
        CliTest.run("check-kernels", "--committed=" + bad, "--current=" + bad, "--min-ratio=1.5");
    assertEquals(2, ratio.code(), ratio.err());
    assertTrue(ratio.err().contains("--min-ratio"), ratio.err());
  }
}
