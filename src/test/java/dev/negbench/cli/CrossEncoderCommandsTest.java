package dev.negbench.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import dev.negbench.data.TinyDatasets;
import dev.negbench.io.Json;
import dev.negbench.model.Fixtures;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * train-ce, export-onnx, rerank and score on the tiny fixtures: engines agree, bad input exits 2
 * and leaves nothing.
 */
class CrossEncoderCommandsTest {
  private static final String DISTILBERT = Fixtures.dir(Fixtures.BI_ENCODER).toString();
  private static final String NEGATIVES =
      """
      {"query_id": "q1", "query": "roasting coffee beans", "positive_ids": ["d2"], "negatives": [{"doc_id": "d3", "rank": 1, "score": 1}, {"doc_id": "d5", "rank": 2, "score": 1}]}
      {"query_id": "q2", "query": "green tea brewing", "positive_ids": ["d4"], "negatives": [{"doc_id": "d3", "rank": 1, "score": 1}, {"doc_id": "d2", "rank": 2, "score": 1}]}
      {"query_id": "q3", "query": "bicycle brakes", "positive_ids": ["d6"], "negatives": [{"doc_id": "d5", "rank": 1, "score": 1}, {"doc_id": "d2", "rank": 2, "score": 1}]}
      """;

  @Test
  void trainCeThenExportAndRerankOnBothEnginesAlike(@TempDir Path tmp) throws IOException {
    Path data = TinyDatasets.small(tmp.resolve("data"));
    Path negs = Files.writeString(tmp.resolve("negs.jsonl"), NEGATIVES);
    Path ce = tmp.resolve("ce");
    var train =
        CliTest.run(
            "train-ce",
            "--dataset=" + data,
            "--negatives=" + negs,
            "--model=" + DISTILBERT,
            "--batch-size=2",
            "--epochs=2",
            "--lr=1e-3",
            "--max-length=48",
            "--negatives-per-query=2",
            "--out=" + ce);
    assertEquals(0, train.code(), train.err());
    assertTrue(
        train.err().contains("loss") && Files.isRegularFile(ce.resolve("model.safetensors")),
        train.err());

    Path onnx = tmp.resolve("ce-onnx");
    var export = CliTest.run("export-onnx", "--model=" + ce, "--out=" + onnx);
    assertEquals(0, export.code(), export.err());
    assertTrue(
        Files.isRegularFile(onnx.resolve("model.onnx"))
            && Files.isRegularFile(onnx.resolve("tokenizer.json")));
    assertFalse(
        Files.exists(onnx.resolve("model.safetensors")), "the ONNX folder runs on ONNX Runtime");

    // The logits of ONNX Runtime (exported graph) and DJL (checkpoint) agree.
    Path pairs =
        Files.writeString(
            tmp.resolve("pairs.jsonl"),
            "{\"query\": \"roasting coffee beans\", \"passage\": \"how to roast coffee beans at home\"}\n"
                + "{\"query\": \"bicycle brakes\", \"passage\": \"green tea leaves and black tea brewing, a much longer passage than the other one\"}\n");
    List<Double> djl =
        scores(CliTest.run("score", "--model=" + ce, "--pairs=" + pairs, "-q").out());
    List<Double> ort =
        scores(CliTest.run("score", "--model=" + onnx, "--pairs=" + pairs, "-q").out());
    assertEquals(2, djl.size());
    for (int i = 0; i < djl.size(); i++) {
      assertEquals(djl.get(i), ort.get(i), 1e-4, "pair " + i);
    }

    Path bm25 = tmp.resolve("bm25.run");
    assertEquals(
        0,
        CliTest.run(
                "bm25-search",
                "-q",
                "--work-dir=" + tmp.resolve("work"),
                "--dataset=" + data,
                "--split=train",
                "--top-k=5",
                "--run=" + bm25)
            .code());
    Path viaOnnx = tmp.resolve("onnx.run");
    Path viaDjl = tmp.resolve("djl.run");
    String[] onnxRerank = {
      "rerank",
      "--dataset=" + data,
      "--split=train",
      "--run=" + bm25,
      "--model=" + onnx,
      "--depth=3"
    };
    var r1 = CliTest.run(concat(onnxRerank, "--out=" + viaOnnx));
    assertEquals(0, r1.code(), r1.err());
    assertTrue(r1.err().contains("engine onnxruntime"), r1.err());
    // Two weights on one scoring: each file is what a rerank with that weight alone writes.
    var both =
        CliTest.run(
            concat(
                onnxRerank,
                "--fuse=run:1",
                "--fuse=run:0.5",
                "--out=" + tmp.resolve("fused-{W}.run")));
    assertEquals(0, both.code(), both.err());
    assertTrue(both.err().contains("fused-0.5.run (fused, run:0.5)"), both.err());
    var alone =
        CliTest.run(concat(onnxRerank, "--fuse=run:0.5", "--out=" + tmp.resolve("alone-{W}.run")));
    assertEquals(0, alone.code(), alone.err());
    assertEquals(
        Files.readString(tmp.resolve("alone-0.5.run")),
        Files.readString(tmp.resolve("fused-0.5.run")));
    assertEquals(
        Files.readAllLines(viaOnnx).stream().map(l -> l.split(" ")[2]).toList(),
        Files.readAllLines(tmp.resolve("fused-1.run")).stream().map(l -> l.split(" ")[2]).toList(),
        "W = 1 is the plain rerank's order");
    var r2 =
        CliTest.run(
            "rerank",
            "--dataset=" + data,
            "--split=train",
            "--run=" + bm25,
            "--model=" + ce,
            "--depth=3",
            "--out=" + viaDjl);
    assertEquals(0, r2.code(), r2.err());
    assertTrue(r2.err().contains("engine djl"), r2.err());
    List<String> a = Files.readAllLines(viaOnnx);
    List<String> b = Files.readAllLines(viaDjl);
    assertEquals(a.size(), b.size());
    assertTrue(a.size() >= 6, "three hits for each query with BM25 hits: " + a);
    String lastQuery = "";
    double last = Double.MAX_VALUE;
    for (int i = 0; i < a.size(); i++) {
      String[] x = a.get(i).split(" ");
      String[] y = b.get(i).split(" ");
      assertEquals(x[0] + x[2], y[0] + y[2], "same order on both engines");
      assertEquals(Double.parseDouble(x[4]), Double.parseDouble(y[4]), 1e-4);
      if (!x[0].equals(lastQuery)) {
        assertEquals("1", x[3]);
        lastQuery = x[0];
      } else {
        assertTrue(Double.parseDouble(x[4]) <= last, "ranked by the cross-encoder's score");
      }
      last = Double.parseDouble(x[4]);
      assertTrue(Integer.parseInt(x[3]) <= 3, "no hit below the depth");
    }
  }

  @Test
  void anExportedBiEncoderEmbedsAsDjlDoes(@TempDir Path tmp) throws IOException {
    Path data = TinyDatasets.small(tmp.resolve("data"));
    Path negs = Files.writeString(tmp.resolve("negs.jsonl"), NEGATIVES);
    Path ckpt = tmp.resolve("bi");
    var train =
        CliTest.run(
            "train",
            "--dataset=" + data,
            "--negatives=" + negs,
            "--model=" + DISTILBERT,
            "--batch-size=2",
            "--lr=1e-3",
            "--max-doc-length=32",
            "--out=" + ckpt);
    assertEquals(0, train.code(), train.err());
    Path onnx = tmp.resolve("bi-onnx");
    assertEquals(0, CliTest.run("export-onnx", "--model=" + ckpt, "--out=" + onnx).code());
    Path texts =
        Files.writeString(
            tmp.resolve("texts.jsonl"),
            "{\"id\": \"a\", \"text\": \"roasting coffee beans\"}\n{\"id\": \"b\", \"text\": \"tea\"}\n");
    Path viaDjl = tmp.resolve("djl.jsonl");
    Path viaOnnx = tmp.resolve("onnx.jsonl");
    assertEquals(
        0, CliTest.run("embed", "--model=" + ckpt, "--texts=" + texts, "--out=" + viaDjl).code());
    var embed = CliTest.run("embed", "--model=" + onnx, "--texts=" + texts, "--out=" + viaOnnx);
    assertEquals(0, embed.code(), embed.err());
    List<String> x = Files.readAllLines(viaDjl);
    List<String> y = Files.readAllLines(viaOnnx);
    for (int i = 0; i < 2; i++) {
      JsonNode e1 = Json.PLAIN.readTree(x.get(i)).get("embedding");
      JsonNode e2 = Json.PLAIN.readTree(y.get(i)).get("embedding");
      assertEquals(32, e1.size());
      for (int d = 0; d < e1.size(); d++) {
        assertEquals(e1.get(d).asDouble(), e2.get(d).asDouble(), 1e-4, i + "/" + d);
      }
    }
  }

  @Test
  void badInputExitsTwoNamingFileAndLineAndLeavesNothing(@TempDir Path tmp) throws IOException {
    Path data = TinyDatasets.small(tmp.resolve("data"));
    // A query (q4) whose qrels hold no positive.
    Path negs =
        Files.writeString(
            tmp.resolve("negs.jsonl"),
            NEGATIVES.lines().findFirst().orElseThrow()
                + "\n"
                + "{\"query_id\": \"q4\", \"query\": \"coffee\", \"positive_ids\": [\"d3\"], \"negatives\": [{\"doc_id\": \"d2\", \"rank\": 1, \"score\": 1}]}\n");
    Path out = tmp.resolve("out");
    var noPositive =
        CliTest.run(
            "train-ce",
            "--dataset=" + data,
            "--negatives=" + negs,
            "--model=" + DISTILBERT,
            "--out=" + out);
    assertEquals(2, noPositive.code(), noPositive.err());
    assertTrue(
        noPositive.err().contains("negs.jsonl:2: query q4 has no positive"), noPositive.err());
    assertFalse(Files.exists(out));

    // A model folder without its tokenizer.
    Path noTokenizer = Files.createDirectories(tmp.resolve("no-tokenizer"));
    for (String f : List.of("config.json", "model.safetensors")) {
      Files.copy(Fixtures.dir(Fixtures.BI_ENCODER).resolve(f), noTokenizer.resolve(f));
    }
    Path good = Files.writeString(tmp.resolve("good.jsonl"), NEGATIVES);
    var train =
        CliTest.run(
            "train-ce",
            "--dataset=" + data,
            "--negatives=" + good,
            "--model=" + noTokenizer,
            "--out=" + out);
    assertEquals(2, train.code(), train.err());
    assertTrue(
        train.err().contains(noTokenizer.resolve("tokenizer.json") + ": file not found"),
        train.err());
    assertFalse(Files.exists(out));
    var export = CliTest.run("export-onnx", "--model=" + noTokenizer, "--out=" + out);
    assertEquals(2, export.code(), export.err());
    assertTrue(export.err().contains("tokenizer.json"), export.err());
    assertFalse(Files.exists(out));
    try (var left = Files.list(tmp)) {
      assertTrue(
          left.noneMatch(p -> p.getFileName().toString().startsWith(".")),
          "no temporary folder left");
    }

    // A run file with a malformed line.
    Path run = Files.writeString(tmp.resolve("bad.run"), "q1 Q0 d2 1 3.5 bm25\nq1 Q0 d3 2\n");
    Path reranked = tmp.resolve("reranked.run");
    var rerank =
        CliTest.run(
            "rerank",
            "--dataset=" + data,
            "--split=train",
            "--run=" + run,
            "--model=" + Fixtures.dir(Fixtures.CROSS_ENCODER),
            "--out=" + reranked);
    assertEquals(2, rerank.code(), rerank.err());
    assertTrue(
        rerank.err().contains("bad.run:2: expected 6 whitespace-separated columns"), rerank.err());
    assertFalse(Files.exists(reranked));
    Path goodRun = Files.writeString(tmp.resolve("good.run"), "q1 Q0 d2 1 3.5 bm25\n");
    var model =
        CliTest.run(
            "rerank",
            "--dataset=" + data,
            "--split=train",
            "--run=" + goodRun,
            "--model=" + noTokenizer,
            "--out=" + reranked);
    assertEquals(2, model.code(), model.err());
    assertTrue(
        model.err().contains(noTokenizer.resolve("tokenizer.json") + ": file not found"),
        model.err());
    assertFalse(Files.exists(reranked));

    // A fusion weight outside [0, 1], or fusion with anything but the run's scores.
    for (String fuse : List.of("run:1.5", "foo:0.5", "bm25:1.5")) {
      var fused =
          CliTest.run(
              "rerank",
              "--dataset=" + data,
              "--split=train",
              "--run=" + goodRun,
              "--model=" + Fixtures.dir(Fixtures.CROSS_ENCODER),
              "--fuse=" + fuse,
              "--out=" + reranked);
      assertEquals(2, fused.code(), fused.err());
      assertTrue(
          fused.err().contains("--fuse '" + fuse + "'")
              && fused.err().contains("expected --fuse run:W, W in [0, 1]"),
          fused.err());
      assertFalse(Files.exists(reranked));
    }

    // Several weights need {W} in --out, each weight once.
    String[] twoWeights = {
      "rerank",
      "--dataset=" + data,
      "--split=train",
      "--run=" + goodRun,
      "--model=" + Fixtures.dir(Fixtures.CROSS_ENCODER),
      "--fuse=run:1",
      "--fuse=run:0.5"
    };
    var noPlaceholder = CliTest.run(concat(twoWeights, "--out=" + reranked));
    assertEquals(2, noPlaceholder.code(), noPlaceholder.err());
    assertTrue(
        noPlaceholder.err().contains("with 2 --fuse weights, expected {W} in the file name"),
        noPlaceholder.err());
    String[] twice = twoWeights.clone();
    twice[twice.length - 1] = "--fuse=run:1";
    var repeated = CliTest.run(concat(twice, "--out=" + tmp.resolve("r-{W}.run")));
    assertEquals(2, repeated.code(), repeated.err());
    assertTrue(repeated.err().contains("a weight given twice"), repeated.err());
    assertFalse(Files.exists(reranked));
    assertFalse(Files.exists(tmp.resolve("r-1.run")));
  }

  @Test
  void trainCeOnAHoldOutCarveNeverSeesTheDevQueriesAndListsThem(@TempDir Path tmp)
      throws IOException {
    Path data = TinyDatasets.small(tmp.resolve("data"));
    Path carve = tmp.resolve("carve");
    for (String n : List.of("0", "4")) {
      var bad =
          CliTest.run(
              "hold-out", "--dataset=" + data, "--queries=" + n, "--out=" + carve.resolve(n));
      assertEquals(2, bad.code(), bad.err());
      assertTrue(bad.err().contains("expected 1 to 3 queries to hold out"), bad.err());
      assertTrue(bad.err().contains("train.tsv has 4"), bad.err());
    }
    var cut =
        CliTest.run("hold-out", "--dataset=" + data, "--queries=2", "--seed=1", "--out=" + carve);
    assertEquals(0, cut.code(), cut.err());
    List<String> dev = new ArrayList<>();
    Json.PLAIN
        .readTree(carve.resolve("hold-out.json").toFile())
        .get("dev_queries")
        .forEach(q -> dev.add(q.asText()));
    assertEquals(2, dev.size());

    // A negatives row of a held-out query stops train-ce (exit 2): it cannot enter a group.
    Path all = Files.writeString(tmp.resolve("all.jsonl"), NEGATIVES);
    String[] train = {
      "train-ce",
      "--dataset=" + carve,
      "--split=train-minus-dev",
      "--model=" + DISTILBERT,
      "--batch-size=2",
      "--max-length=48",
      "--negatives-per-query=2",
      "--out=" + tmp.resolve("ce")
    };
    var refused = CliTest.run(concat(train, "--negatives=" + all));
    assertEquals(2, refused.code(), refused.err());
    assertTrue(refused.err().contains("train-minus-dev"), refused.err());

    String kept =
        NEGATIVES
            .lines()
            .filter(l -> dev.stream().noneMatch(q -> l.contains("\"query_id\": \"" + q + "\"")))
            .collect(Collectors.joining("\n"));
    Path rest = Files.writeString(tmp.resolve("rest.jsonl"), kept + "\n");
    var ok = CliTest.run(concat(train, "--negatives=" + rest));
    assertEquals(0, ok.code(), ok.err());
    JsonNode done = Json.PLAIN.readTree(tmp.resolve("ce/training.json").toFile());
    List<String> listed = new ArrayList<>();
    done.get("held_out_queries").forEach(q -> listed.add(q.asText()));
    assertEquals(dev, listed);
    assertEquals(kept.lines().count(), done.get("examples").asLong());
  }

  private static String[] concat(String[] args, String... more) {
    String[] out = Arrays.copyOf(args, args.length + more.length);
    System.arraycopy(more, 0, out, args.length, more.length);
    return out;
  }

  private static List<Double> scores(String jsonl) throws IOException {
    List<Double> out = new ArrayList<>();
    for (String line : jsonl.split("\n")) {
      if (!line.isBlank()) {
        out.add(Json.PLAIN.readTree(line).get("score").asDouble());
      }
    }
    return out;
  }
}
