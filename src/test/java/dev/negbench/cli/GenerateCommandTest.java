package dev.negbench.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.negbench.data.SyntheticDataset;
import dev.negbench.generate.SimProfile;
import dev.negbench.generate.Simulator;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class GenerateCommandTest {
  @TempDir Path tmp;

  @Test
  void helpExplainsTheCommands() {
    for (String cmd : List.of("generate", "serve-sim", "compare-generators")) {
      CliTest.Outcome help = CliTest.run(cmd, "--help");
      assertEquals(0, help.code(), cmd);
      assertTrue(help.out().contains("Example: negbench " + cmd), cmd + " help has an example");
    }
    String generate = CliTest.run("generate", "--help").out();
    assertTrue(generate.contains("--concurrency=C") && generate.contains("(default 16)"), generate);
    assertTrue(generate.contains("--burstiness=B"), generate);
    assertTrue(
        generate.contains("--positives=all|first") && generate.contains("(default all)"), generate);
    assertTrue(CliTest.run("--help").out().contains("compare-generators"));
  }

  @Test
  void badProfileExitsTwoNamingFileAndField() throws IOException {
    Path data = tmp.resolve("data");
    SyntheticDataset.write(new SyntheticDataset.Settings(100, 20, 1), data);
    Path profile = tmp.resolve("bad.json");
    Files.writeString(profile, "{\"model\": \"m\", \"sampling\": {\"top_p\": 1.5}}");
    CliTest.Outcome o = generate(data, profile.toString(), "http://127.0.0.1:9/v1");
    assertEquals(2, o.code(), o.err());
    assertTrue(o.err().contains(profile.toString()) && o.err().contains("sampling.top_p"), o.err());

    Files.writeString(profile, "{\"model\": \"m\", \"temprature\": 0.5}");
    o = generate(data, profile.toString(), "http://127.0.0.1:9/v1");
    assertEquals(2, o.code());
    assertTrue(o.err().contains("\"temprature\": unknown field"), o.err());

    o = generate(data, tmp.resolve("missing.json").toString(), "http://127.0.0.1:9/v1");
    assertEquals(2, o.code());
    assertTrue(o.err().contains("missing.json: file not found"), o.err());
    assertFalse(Files.exists(tmp.resolve("out.jsonl")));
  }

  @Test
  void templateWithoutPlaceholdersExitsTwo() throws IOException {
    Path data = tmp.resolve("data");
    SyntheticDataset.write(new SyntheticDataset.Settings(100, 20, 1), data);
    Path template = tmp.resolve("t.txt");
    Files.writeString(template, "Write {{n}} passages about {{query}}.");
    Path profile = tmp.resolve("p.json");
    Files.writeString(profile, "{\"model\": \"m\", \"prompt_template\": \"t.txt\"}");
    CliTest.Outcome o = generate(data, profile.toString(), "http://127.0.0.1:9/v1");
    assertEquals(2, o.code(), o.err());
    assertTrue(
        o.err().contains(template.toString())
            && o.err().contains("missing placeholder {{positive}}"),
        o.err());
  }

  @Test
  void badEndpointAndConcurrencyExitTwo() throws IOException {
    Path data = tmp.resolve("data");
    SyntheticDataset.write(new SyntheticDataset.Settings(100, 20, 1), data);
    CliTest.Outcome o = generate(data, "m", "ftp://x/v1");
    assertEquals(2, o.code());
    assertTrue(o.err().contains("expected an http(s) URL"), o.err());
    o =
        CliTest.run(
            "generate",
            "-q",
            "--dataset=" + data,
            "--endpoint=http://127.0.0.1:9/v1",
            "--generator=m",
            "--out=" + tmp.resolve("o.jsonl"),
            "--concurrency=0");
    assertEquals(2, o.code());
    assertTrue(o.err().contains("--concurrency must be at least 1"), o.err());
    o =
        generate(
            data,
            "m",
            "http://127.0.0.1:9/v1",
            "--out=" + tmp.resolve("o.jsonl"),
            "--positives=some");
    assertEquals(2, o.code());
    assertTrue(o.err().contains("positives must be 'all' or 'first', was 'some'"), o.err());
  }

  @Test
  void everyPositiveByDefaultAndTheFirstOnRequest() throws IOException {
    Path data = tmp.resolve("data");
    // 40 train queries with 50 positives: 9 queries have two or more.
    SyntheticDataset.write(new SyntheticDataset.Settings(100, 50, 3), data);
    try (Simulator server = Simulator.start(SimProfile.instant())) {
      CliTest.Outcome all =
          generate(data, "m", server.baseUrl().toString(), "--out=" + tmp.resolve("all.jsonl"));
      assertEquals(0, all.code(), all.err());
      CliTest.Outcome first =
          generate(
              data,
              "m",
              server.baseUrl().toString(),
              "--out=" + tmp.resolve("first.jsonl"),
              "--positives=FIRST");
      assertEquals(0, first.code(), first.err());
    }
    ObjectMapper json = new ObjectMapper();
    List<String> all = Files.readAllLines(tmp.resolve("all.jsonl"));
    List<String> first = Files.readAllLines(tmp.resolve("first.jsonl"));
    assertEquals(50, all.size());
    assertEquals(40, first.size());
    assertEquals(50, all.stream().map(l -> readPair(json, l)).distinct().count());
    assertEquals(
        40,
        first.stream().map(l -> readPair(json, l).get(0)).distinct().count(),
        "one line per query");
  }

  private static List<String> readPair(ObjectMapper json, String line) {
    try {
      JsonNode row = json.readTree(line);
      return List.of(row.get("query_id").asText(), row.get("positive_id").asText());
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  @Test
  void generateThenCompareTwoGenerators() throws IOException {
    Path data = tmp.resolve("data");
    SyntheticDataset.write(new SyntheticDataset.Settings(100, 30, 1), data);
    Path small = tmp.resolve("small.json");
    Files.writeString(
        small,
        "{\"name\": \"small\", \"model\": \"org/small\", \"params_b\": 4, \"cost\": {\"gpu_type\": \"L4\", \"gpu_count\": 1, \"usd_per_gpu_hour\": 0.8}}");
    Path big = tmp.resolve("big.json");
    Files.writeString(
        big,
        "{\"name\": \"big\", \"model\": \"org/big\", \"params_b\": 14, \"cost\": {\"gpu_type\": \"H100\", \"gpu_count\": 2, \"usd_per_gpu_hour\": 3}}");
    // Far apart, so that even a cold JVM on a busy machine tells them apart.
    try (Simulator fast = Simulator.start(SimProfile.instant().withTimings(1, 0.02));
        Simulator slow = Simulator.start(SimProfile.instant().withTimings(300, 0.02))) {
      CliTest.Outcome a =
          generate(
              data,
              small.toString(),
              fast.baseUrl().toString(),
              "--out=" + tmp.resolve("small.jsonl"),
              "--concurrency=4");
      assertEquals(0, a.code(), a.err());
      CliTest.Outcome b =
          generate(
              data,
              big.toString(),
              slow.baseUrl().toString(),
              "--out=" + tmp.resolve("big.jsonl"),
              "--concurrency=4");
      assertEquals(0, b.code(), b.err());
    }
    CliTest.Outcome c =
        CliTest.run(
            "compare-generators",
            tmp.resolve("big.jsonl").toString(),
            tmp.resolve("small.jsonl.summary.json").toString(),
            "--out=" + tmp.resolve("cmp"));
    assertEquals(0, c.code(), c.err());
    List<String> csv = Files.readAllLines(tmp.resolve("cmp.csv"));
    assertEquals(3, csv.size());
    assertTrue(csv.get(0).startsWith("generator,model,params_b,simulated"));
    assertTrue(csv.get(1).startsWith("small,sim:org/small,4.0000,true"), csv.get(1));
    assertTrue(csv.get(2).startsWith("big,sim:org/big,14.0000,true"), csv.get(2));
    JsonNode json = new ObjectMapper().readTree(tmp.resolve("cmp.json").toFile());
    assertTrue(json.get("simulated").asBoolean());
    JsonNode smallRow = json.get("rows").get(0);
    JsonNode bigRow = json.get("rows").get(1);
    assertTrue(
        bigRow.get("ttft_p50_ms").asDouble() > smallRow.get("ttft_p50_ms").asDouble(),
        json.toString());
    assertEquals(2, bigRow.get("gpu_count").asInt());
    double expected =
        bigRow.get("duration_s").asDouble()
            * 2
            * 3
            / 3600
            * 1000
            / bigRow.get("accepted_negatives").asDouble();
    assertEquals(expected, bigRow.get("usd_per_1000_accepted_negatives").asDouble(), 1e-9);
    assertTrue(c.out().contains("small") && c.out().contains("big"), c.out());

    CliTest.Outcome missing =
        CliTest.run(
            "compare-generators",
            tmp.resolve("nope.jsonl").toString(),
            "--out=" + tmp.resolve("x"));
    assertEquals(2, missing.code());
    assertTrue(missing.err().contains("nope.jsonl.summary.json: file not found"), missing.err());
  }

  @Test
  void serveSimRejectsABadProfile() throws IOException {
    Path p = tmp.resolve("sim.json");
    Files.writeString(p, "{\"ttft_ms\": -1}");
    CliTest.Outcome o = CliTest.run("serve-sim", "--port=0", "--profile=" + p);
    assertEquals(2, o.code());
    assertTrue(o.err().contains(p + ": field \"ttft_ms\""), o.err());
  }

  private CliTest.Outcome generate(Path data, String generator, String endpoint, String... more) {
    List<String> args =
        new ArrayList<>(
            List.of(
                "generate",
                "-q",
                "--dataset=" + data,
                "--endpoint=" + endpoint,
                "--generator=" + generator));
    if (more.length == 0) {
      args.add("--out=" + tmp.resolve("out.jsonl"));
    }
    args.addAll(List.of(more));
    args.add("--backoff-ms=1");
    return CliTest.run(args.toArray(String[]::new));
  }
}
