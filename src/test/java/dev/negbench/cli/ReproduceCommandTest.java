package dev.negbench.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.negbench.download.BeirZips;
import dev.negbench.io.AtomicFiles;
import dev.negbench.io.Json;
import dev.negbench.model.Fixtures;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ReproduceCommandTest {
  @TempDir Path tmp;

  private Path config(String text) throws IOException {
    Path file = tmp.resolve("exp.yaml");
    Files.writeString(file, text);
    return file;
  }

  private CliTest.Outcome reproduce(Path config, String... more) {
    String[] args = new String[4 + more.length];
    args[0] = "reproduce";
    args[1] = "--config=" + config;
    args[2] = "--work=" + tmp.resolve("work");
    args[3] = "--results=" + tmp.resolve("results");
    System.arraycopy(more, 0, args, 4, more.length);
    return CliTest.run(args);
  }

  @Test
  void badConfigsExitTwoBeforeAnyWorkNamingTheField() throws IOException {
    CliTest.Outcome unknownField =
        reproduce(
            config(
                "name: x\ndatasets: [synthetic:100]\nsources: [{type: bm25}]\ntrainig: {epochs: 1}\n"));
    assertEquals(2, unknownField.code(), unknownField.err());
    assertTrue(
        unknownField.err().contains("exp.yaml:4: unknown field 'trainig'"), unknownField.err());
    CliTest.Outcome unknownSource =
        reproduce(config("name: x\ndatasets: [synthetic:100]\nsources:\n  - type: bm52\n"));
    assertEquals(2, unknownSource.code());
    assertTrue(
        unknownSource
            .err()
            .contains("exp.yaml:4: field 'sources[0].type': unknown source type 'bm52'"),
        unknownSource.err());
    CliTest.Outcome missing =
        reproduce(config("name: x\ndatasets: [nowhere]\nsources: [{type: bm25}]\n"));
    assertEquals(2, missing.code());
    assertTrue(missing.err().contains("field 'datasets[0]'"), missing.err());
    assertFalse(Files.exists(tmp.resolve("work")), "nothing ran");
    assertFalse(Files.exists(tmp.resolve("results")));
  }

  @Test
  void aBrokenGeneratorProfileFailsBeforeAnyWork() throws IOException {
    Path profile = tmp.resolve("gen.json");
    Files.writeString(profile, "{\"name\": \"g\", \"model\": \"m\", \"temprature\": 0.6}\n");
    Path c =
        config(
            "name: x\ndatasets: [synthetic:100]\nsources: [{type: llm, generator: gen.json, endpoint: \"http://127.0.0.1:9/v1\"}]\n");
    CliTest.Outcome o = reproduce(c, "--check");
    assertEquals(2, o.code(), o.err());
    assertTrue(o.err().contains("gen.json") && o.err().contains("temprature"), o.err());
    assertFalse(Files.exists(tmp.resolve("work")), "nothing ran");
    CliTest.Outcome ok =
        reproduce(
            config("name: x\ndatasets: [synthetic:100]\nsources: [{type: bm25}]\n"), "--check");
    assertEquals(0, ok.code(), ok.err());
    assertTrue(ok.err().contains("ok (1 datasets x 1 sources x 1 seeds)"), ok.err());
  }

  /**
   * The wired stages end to end: simulator-generated negatives, DJL training, the checkpoint
   * evaluated.
   */
  @Test
  void generatesTrainsAndEvaluatesThenReusesEverything() throws IOException {
    String model = Fixtures.dir(Fixtures.BI_ENCODER).toString();
    Path generator = Path.of("configs/generators/qwen3-4b.json").toAbsolutePath();
    Path simulator = Path.of("configs/generators/sim/instant.json").toAbsolutePath();
    Path c =
        config(
            "name: x\ndatasets: [synthetic:100]\nseeds: [1]\n"
                + "sources: [{name: llm, type: llm, generator: "
                + generator
                + ", simulator: "
                + simulator
                + ", num_negatives: 1}]\n"
                + "training: {model: "
                + model
                + ", batch_size: 8, max_query_length: 16, max_passage_length: 32}\n"
                + "evaluation: {max_length: 32, top_k: 50, zero_shot: false}\nanalysis: {hardness: false}\n");
    CliTest.Outcome o = reproduce(c, "-q");
    assertEquals(0, o.code(), o.err());
    Path cell = tmp.resolve("results/x/synthetic-100/llm/seed-1");
    String metrics = Files.readString(cell.resolve("metrics.json"));
    assertTrue(metrics.contains("\"trained\" : true") && metrics.contains("\"ndcg@10\""), metrics);
    // One generated negative per (query, positive): synthetic:100 has 16 train queries with 20
    // positives, one epoch.
    assertEquals(
        20, Json.PLAIN.readTree(metrics).path("training").path("triples").asLong(), metrics);
    assertTrue(Files.readString(cell.resolve("generation.json")).contains("\"simulated\" : true"));
    // The DJL checkpoint was evaluated through its ONNX export, and the fixture base model is
    // named.
    String provenance = Files.readString(cell.resolve("provenance.json"));
    assertTrue(
        provenance.contains("\"evaluation_engine\" : \"onnxruntime (export-onnx)\"")
            && provenance.contains("base model: "),
        provenance);
    CliTest.Outcome again = reproduce(c);
    assertEquals(0, again.code(), again.err());
    assertTrue(again.err().contains(" 0 stages run"), again.err());
    assertEquals(metrics, Files.readString(cell.resolve("metrics.json")));
  }

  @Test
  void runsAndReportsTheZeroShotRow() throws IOException {
    String model = Fixtures.dir(Fixtures.BI_ENCODER).toString();
    Path c =
        config(
            "name: x\ndatasets: [synthetic:100]\nsources: [{type: bm25, num_negatives: 1}]\ntraining: {model: "
                + model
                + "}\n"
                + "evaluation: {max_length: 32, top_k: 50}\nanalysis: {hardness: false}\n");
    CliTest.Outcome o = reproduce(c, "--skip-training", "-q");
    assertEquals(0, o.code(), o.err());
    Path cell = tmp.resolve("results/x/synthetic-100/zero-shot/seed-0");
    assertTrue(Files.isRegularFile(cell.resolve("metrics.json")));
    assertTrue(Files.readString(cell.resolve("provenance.json")).contains("\"config_sha256\""));
    // Its last line names the report command for the folder it wrote, which the test then runs
    // (with --out, to stay out of the work folder).
    CliTest.Outcome again = reproduce(c, "--skip-training");
    assertEquals(0, again.code(), again.err());
    assertTrue(
        again.err().contains("bin/negbench report --results " + tmp.resolve("results")),
        again.err());
    CliTest.Outcome report =
        CliTest.run(
            "report",
            "-q",
            "--results=" + tmp.resolve("results"),
            "--out=" + tmp.resolve("report"));
    assertEquals(0, report.code(), report.err());
    assertTrue(
        Files.readString(tmp.resolve("report/ndcg10.csv")).contains("x,synthetic-100,true,"));
    assertTrue(Files.readString(tmp.resolve("report/index.html")).contains("SYNTHETIC"));
    CliTest.Outcome none =
        CliTest.run("report", "--results=" + tmp.resolve("nowhere"), "--out=" + tmp.resolve("r2"));
    assertEquals(2, none.code());
  }

  /**
   * configs/paper.yaml as a researcher runs it: the ten BEIR folders (seven with a test split only)
   * and MS MARCO in the data home ($NEGBENCH_DATA), the models in a Hugging Face cache layout.
   * --check --no-probe passes (without --no-probe it names the first vLLM endpoint that is down);
   * with the cross-encoder missing it exits 2 naming the paths it tried.
   */
  @Test
  void thePaperConfigChecksWithItsDataAndModelsInPlace() throws Exception {
    Path root = tmp.resolve("checkout");
    Path configs = Files.createDirectories(root.resolve("configs"));
    Files.copy(Path.of("configs/paper.yaml"), configs.resolve("paper.yaml"));
    Files.createDirectories(configs.resolve("generators"));
    try (var profiles = Files.list(Path.of("configs/generators"))) {
      for (Path p : profiles.filter(Files::isRegularFile).toList()) {
        Files.copy(p, configs.resolve("generators").resolve(p.getFileName()));
      }
    }
    for (String name :
        List.of(
            "arguana",
            "climate-fever",
            "dbpedia-entity",
            "fiqa",
            "nfcorpus",
            "nq",
            "scidocs",
            "scifact",
            "trec-covid",
            "webis-touche2020",
            "msmarco")) {
      Path d = Files.createDirectories(root.resolve("data").resolve(name).resolve("qrels"));
      Files.writeString(
          d.getParent().resolve("corpus.jsonl"),
          "{\"_id\": \"d1\", \"title\": \"t\", \"text\": \"some text\"}\n");
      Files.writeString(
          d.getParent().resolve("queries.jsonl"), "{\"_id\": \"q1\", \"text\": \"a query\"}\n");
      Files.writeString(
          d.resolve(name.equals("msmarco") ? "train.tsv" : "test.tsv"),
          "query-id\tcorpus-id\tscore\nq1\td1\t1\n");
    }
    Path hub = tmp.resolve("hf/hub");
    Fixtures.hfCacheEntry(hub, "distilbert-base-uncased", Fixtures.BI_ENCODER);
    Path ce =
        Fixtures.hfCacheEntry(hub, "cross-encoder/ms-marco-MiniLM-L6-v2", Fixtures.CROSS_ENCODER);
    Files.createDirectories(ce.resolve("onnx"));
    Files.copy(
        Fixtures.dir(Fixtures.CROSS_ENCODER).resolve("model.onnx"), ce.resolve("onnx/model.onnx"));
    try (AutoCloseable hubCache = Fixtures.hubCache(hub);
        AutoCloseable data = BeirZips.dataHome(root.resolve("data"))) {
      // Its vLLM servers are not up here: the probe names the first endpoint; --no-probe skips it.
      CliTest.Outcome down = reproduce(configs.resolve("paper.yaml"), "--check");
      assertEquals(2, down.code(), down.err());
      assertTrue(down.err().contains("paper.yaml:36: field 'sources[2].endpoint'"), down.err());
      CliTest.Outcome ok = reproduce(configs.resolve("paper.yaml"), "--check", "--no-probe");
      assertEquals(0, ok.code(), ok.err());
      assertTrue(ok.err().contains("ok (10 datasets x 9 sources x 3 seeds)"), ok.err());

      AtomicFiles.deleteTree(hub.resolve("models--cross-encoder--ms-marco-MiniLM-L6-v2"));
      CliTest.Outcome missing = reproduce(configs.resolve("paper.yaml"), "--check");
      assertEquals(2, missing.code(), missing.err());
      assertTrue(missing.err().contains("paper.yaml:29: field 'sources[1].model'"), missing.err());
      assertTrue(
          missing.err().contains(configs.resolve("models/ms-marco-MiniLM-L6-v2").toString())
              && missing
                  .err()
                  .contains(hub.resolve("models--cross-encoder--ms-marco-MiniLM-L6-v2").toString())
              && missing
                  .err()
                  .contains("huggingface-cli download cross-encoder/ms-marco-MiniLM-L6-v2"),
          missing.err());
      assertFalse(Files.exists(tmp.resolve("work")), "nothing ran");
    }
  }

  /**
   * A GPU the runtimes cannot open fails the check with the fix, whether the config or --device
   * asks for it; nothing falls back to the CPU.
   */
  @Test
  void aDeviceTheRuntimesCannotOpenFailsTheCheck() throws IOException {
    Path c = config("name: x\ndatasets: [synthetic:100]\nsources: [{type: bm25}]\n");
    CliTest.Outcome flag = reproduce(c, "--check", "--device", "cuda");
    assertEquals(2, flag.code(), flag.err());
    assertTrue(
        flag.err().contains("evaluation on cuda") && flag.err().contains("mvn -Pcuda package"),
        flag.err());
    CliTest.Outcome configured =
        reproduce(
            config("name: x\ndevice: cuda:1\ndatasets: [synthetic:100]\nsources: [{type: bm25}]\n"),
            "--check");
    assertEquals(2, configured.code(), configured.err());
    assertTrue(configured.err().contains("on cuda:1"), configured.err());
    CliTest.Outcome training =
        reproduce(
            config(
                "name: x\ndatasets: [synthetic:100]\nsources: [{type: bm25}]\ntraining: {device: cuda}\n"),
            "--check");
    assertEquals(2, training.code(), training.err());
    assertTrue(
        training.err().contains("training on cuda") && training.err().contains("GPUs"),
        training.err());
    CliTest.Outcome bad =
        reproduce(
            config("name: x\ndatasets: [synthetic:100]\nsources: [{type: dense, device: tpu}]\n"),
            "--check");
    assertEquals(2, bad.code(), bad.err());
    assertTrue(bad.err().contains("exp.yaml:3: field 'sources[0].device'"), bad.err());
    assertFalse(Files.exists(tmp.resolve("work")), "nothing ran");
  }
}
