package dev.negbench.experiment;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.negbench.experiment.sources.Source;
import dev.negbench.io.DatasetFormatException;
import dev.negbench.model.Fixtures;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ExperimentConfigTest {
  @TempDir Path dir;

  private static final String VALID =
      """
      name: t1
      datasets:
        - synthetic:200
      sources:
        - type: bm25
          num_negatives: 3
        - name: mixed
          type: mix
          parts:
            - {from: bm25, count: 1}
            - {from: bm25-random, count: 1}
        - name: bm25-random
          type: bm25
          sampling: random
      seeds: [1, 2]
      training:
        epochs: 2
        learning_rate: 3.0e-5
      evaluation:
        metrics: [ndcg@10, recall@100]
      gpu_prices:
        H100: 2.5
      """;

  private ExperimentConfig.Loaded parse(String name, String text) throws IOException {
    Path file = dir.resolve(name);
    Files.writeString(file, text);
    return ExperimentConfig.load(file);
  }

  private DatasetFormatException fails(String text) {
    return assertThrows(DatasetFormatException.class, () -> parse("bad.yaml", text));
  }

  @Test
  void aCeSourcesTrainBlockIsChecked() {
    DatasetFormatException loss =
        fails(
            "name: t\ndatasets: [synthetic:100]\nsources:\n  - type: ce\n    model: minilm\n    train:\n      loss: hinge\n");
    assertTrue(
        loss.getMessage().contains("bad.yaml:7")
            && loss.getMessage().contains("loss must be 'softmax' or 'bce'"),
        loss.getMessage());
    DatasetFormatException unknown =
        fails(
            "name: t\ndatasets: [synthetic:100]\nsources:\n  - type: ce\n    model: minilm\n    train: {epoch: 2}\n");
    assertTrue(unknown.getMessage().contains("epoch"), unknown.getMessage());
    // A further round's bad value is named at its own line and path, not at the first round's.
    DatasetFormatException round =
        fails(
            "name: t\ndatasets: [synthetic:100]\nsources:\n  - type: ce\n    model: minilm\n    train:\n      negatives: 7\n      then:\n        negatives: 0\n");
    assertTrue(
        round.getMessage().contains("bad.yaml:9")
            && round.getMessage().contains("train.then.negatives"),
        round.getMessage());
  }

  @Test
  void aCeSourcesActivationIsCheckedAndDefaultsToTheSigmoidInItsKey() throws IOException {
    String ce = "name: t\ndatasets: [synthetic:100]\nsources:\n  - type: ce\n    model: minilm\n";
    DatasetFormatException fuse = fails(ce + "    fuse: 1.5\n");
    assertTrue(
        fuse.getMessage().startsWith(dir.resolve("bad.yaml") + ":6: ")
            && fuse.getMessage().contains("sources[0].fuse")
            && fuse.getMessage().contains("expected 0 <= fuse <= 1"),
        fuse.getMessage());
    DatasetFormatException maybe = fails(ce + "    activation: maybe\n");
    assertTrue(
        maybe.getMessage().startsWith(dir.resolve("bad.yaml") + ":6: ")
            && maybe.getMessage().contains("sources[0].activation")
            && maybe.getMessage().contains("expected 'sigmoid' or 'none', was 'maybe'"),
        maybe.getMessage());
    assertEquals(6, maybe.line());
    // The default is in the stage key, so negatives mined on raw logits before the field existed
    // (a key without it) are not reused; naming the default gives the same key.
    String model = "    model: " + Fixtures.dir(Fixtures.CROSS_ENCODER) + "\n";
    String folder = "name: t\ndatasets: [synthetic:100]\nsources:\n  - type: ce\n" + model;
    Map<String, Object> byDefault = NegativesStages.sourceKey(parse("a.yaml", folder).source("ce"));
    assertEquals("sigmoid", byDefault.get("activation"), byDefault.toString());
    assertEquals(
        byDefault,
        NegativesStages.sourceKey(
            parse("b.yaml", folder + "    activation: sigmoid\n").source("ce")));
    Map<String, Object> raw =
        NegativesStages.sourceKey(parse("c.yaml", folder + "    activation: none\n").source("ce"));
    assertEquals("none", raw.get("activation"));
  }

  @Test
  void validConfigGetsDefaults() throws IOException {
    ExperimentConfig.Loaded l = parse("ok.yaml", VALID);
    ExperimentConfig c = l.config();
    assertEquals("t1", c.name());
    assertEquals(
        List.of("bm25", "mixed", "bm25-random"), c.sources().stream().map(Source::name).toList());
    assertEquals(3, c.sources().get(0).negativesPerQuery());
    assertEquals(2, c.sources().get(1).negativesPerQuery());
    assertTrue(c.sources().get(2).seedDependent());
    assertEquals(List.of(1L, 2L), c.seeds());
    assertEquals(2, c.training().epochs());
    assertEquals(32, c.training().batchSize());
    assertEquals(3.0e-5, c.training().learningRate());
    assertEquals("test", c.evaluation().split());
    assertEquals(1, l.datasets().size());
    assertEquals("synthetic-200", l.datasets().get(0).name());
    assertEquals(200, l.datasets().get(0).syntheticDocs());
    assertEquals(64, l.sha256().length());
  }

  @Test
  void jsonConfigsReadAlike() throws IOException {
    ExperimentConfig.Loaded l =
        parse(
            "ok.json",
            "{\"name\": \"j\", \"datasets\": [\"synthetic:100\"], \"sources\": [{\"type\": \"bm25\"}], \"seeds\": [7]}");
    assertEquals("bm25", l.config().sources().get(0).name());
    assertEquals(List.of(7L), l.config().seeds());
  }

  @Test
  void unknownTopLevelFieldIsNamedWithItsLine() {
    DatasetFormatException e =
        fails("name: t\ndatasets: [synthetic:100]\nsources: [{type: bm25}]\nsedes: [1]\n");
    assertEquals(4, e.line(), e.getMessage());
    assertTrue(e.getMessage().contains("unknown field 'sedes'"), e.getMessage());
    assertTrue(e.getMessage().contains("seeds"), e.getMessage());
  }

  @Test
  void unknownFieldInsideASourceIsNamed() {
    DatasetFormatException e =
        fails(
            "name: t\ndatasets: [synthetic:100]\nsources:\n  - type: bm25\n    num_negative: 3\n");
    assertEquals(5, e.line(), e.getMessage());
    assertTrue(e.getMessage().contains("unknown field 'num_negative'"), e.getMessage());
    assertTrue(e.getMessage().contains("sources[0]"), e.getMessage());
  }

  @Test
  void unknownSourceTypeIsNamed() {
    DatasetFormatException e =
        fails("name: t\ndatasets: [synthetic:100]\nsources:\n  - type: bm25\n  - type: bm52\n");
    assertEquals(5, e.line(), e.getMessage());
    assertTrue(e.getMessage().contains("field 'sources[1].type'"), e.getMessage());
    assertTrue(e.getMessage().contains("unknown source type 'bm52'"), e.getMessage());
  }

  @Test
  void missingDatasetFolderIsNamed() {
    DatasetFormatException e =
        fails(
            "name: t\ndatasets:\n  - synthetic:100\n  - no/such/folder\nsources: [{type: bm25}]\n");
    assertEquals(4, e.line(), e.getMessage());
    assertTrue(e.getMessage().contains("field 'datasets[1]'"), e.getMessage());
    assertTrue(e.getMessage().contains("no/such/folder"), e.getMessage());
  }

  @Test
  void fieldsOfAnotherSourceTypeAreRejected() {
    DatasetFormatException e =
        fails("name: t\ndatasets: [synthetic:100]\nsources:\n  - type: bm25\n    model: minilm\n");
    assertEquals(5, e.line(), e.getMessage());
    assertTrue(
        e.getMessage().contains("field 'sources[0].model': does not apply to a 'bm25' source"),
        e.getMessage());
  }

  @Test
  void badValuesAreNamed() {
    DatasetFormatException type =
        fails(
            "name: t\ndatasets: [synthetic:100]\nsources: [{type: bm25}]\ntraining:\n  epochs: many\n");
    assertTrue(type.getMessage().contains("training.epochs"), type.getMessage());
    assertEquals(5, type.line(), type.getMessage());
    DatasetFormatException range =
        fails(
            "name: t\ndatasets: [synthetic:100]\nsources: [{type: bm25}]\ntraining:\n  epochs: 0\n");
    assertTrue(
        range.getMessage().contains("field 'training.epochs': expected a whole number >= 1"),
        range.getMessage());
    DatasetFormatException metric =
        fails(
            "name: t\ndatasets: [synthetic:100]\nsources: [{type: bm25}]\nevaluation:\n  metrics: [recall@100]\n");
    assertTrue(metric.getMessage().contains("ndcg@10"), metric.getMessage());
    DatasetFormatException mix =
        fails(
            "name: t\ndatasets: [synthetic:100]\nsources:\n  - type: bm25\n  - type: mix\n    parts: [{from: bm25, count: 1}, {from: llm, count: 1}]\n");
    assertTrue(mix.getMessage().contains("sources[1].parts[1].from"), mix.getMessage());
    DatasetFormatException llm =
        fails(
            "name: t\ndatasets: [synthetic:100]\nsources:\n  - type: llm\n    generator: qwen3-8b\n");
    assertTrue(llm.getMessage().contains("exactly one of endpoint"), llm.getMessage());
    DatasetFormatException positives =
        fails(
            "name: t\ndatasets: [synthetic:100]\nsources:\n  - type: llm\n    generator: qwen3-8b\n    endpoint: http://127.0.0.1:9/v1\n    positives: some\n");
    assertTrue(
        positives.getMessage().contains("sources[0].positives")
            && positives.getMessage().contains("expected 'all' or 'first', was 'some'"),
        positives.getMessage());
    assertEquals(7, positives.line(), positives.getMessage());
    DatasetFormatException file =
        fails(
            "name: t\ndatasets: [synthetic:100]\nsources:\n  - type: file\n    path: none.jsonl\n");
    assertTrue(
        file.getMessage().contains("none.jsonl") && file.getMessage().contains("not found"),
        file.getMessage());
    DatasetFormatException twice =
        fails("name: t\ndatasets: [synthetic:100]\nsources: [{type: bm25}, {type: bm25}]\n");
    assertTrue(twice.getMessage().contains("used twice"), twice.getMessage());
    DatasetFormatException name =
        fails("name: Bad Name\ndatasets: [synthetic:100]\nsources: [{type: bm25}]\n");
    assertEquals(1, name.line(), name.getMessage());
    DatasetFormatException sourceIndex =
        fails(
            "name: t\ndatasets: [synthetic:100]\nsources:\n  - type: dense\n    dense_index: faiss\n");
    assertTrue(
        sourceIndex.getMessage().contains("sources[0].dense_index")
            && sourceIndex.getMessage().contains("expected exact, hnsw or auto, found 'faiss'"),
        sourceIndex.getMessage());
    DatasetFormatException evalIndex =
        fails(
            "name: t\ndatasets: [synthetic:100]\nsources: [{type: bm25}]\nevaluation:\n  dense_index: ivf\n");
    assertTrue(
        evalIndex.getMessage().contains("evaluation.dense_index")
            && evalIndex.getMessage().contains("found 'ivf'"),
        evalIndex.getMessage());
  }

  @Test
  void quantizeIsCheckedOnDenseAndCeSourcesAndEvaluation() throws IOException {
    DatasetFormatException dense =
        fails(
            "name: t\ndatasets: [synthetic:100]\nsources:\n  - type: dense\n    quantize: int4\n");
    assertTrue(
        dense.getMessage().contains("sources[0].quantize")
            && dense.getMessage().contains("expected 'none' or 'int8', found 'int4'"),
        dense.getMessage());
    assertEquals(5, dense.line(), dense.getMessage());
    DatasetFormatException ce =
        fails(
            "name: t\ndatasets: [synthetic:100]\nsources:\n  - type: bm25\n  - type: ce\n    model: minilm\n    train: {}\n    quantize: fp16\n");
    assertTrue(
        ce.getMessage().contains("sources[1].quantize") && ce.getMessage().contains("'fp16'"),
        ce.getMessage());
    DatasetFormatException eval =
        fails(
            "name: t\ndatasets: [synthetic:100]\nsources: [{type: bm25}]\nevaluation:\n  quantize: int4\n");
    assertTrue(
        eval.getMessage().contains("evaluation.quantize")
            && eval.getMessage().contains("expected 'none' or 'int8'"),
        eval.getMessage());
    assertEquals(5, eval.line(), eval.getMessage());
    ExperimentConfig.Loaded ok =
        parse(
            "ok.yaml",
            "name: t\ndatasets: [synthetic:100]\nsources:\n  - {type: dense, quantize: int8}\nevaluation: {quantize: int8}\n");
    assertEquals("int8", ok.config().evaluation().quantize());
  }

  @Test
  void malformedYamlIsAnError() {
    DatasetFormatException e = fails("name: t\ndatasets: [synthetic:100\n");
    assertTrue(e.getMessage().contains("bad.yaml"), e.getMessage());
  }

  @Test
  void shippedConfigsValidate() {
    ExperimentConfig.Loaded demo = ExperimentConfig.load(Path.of("configs/demo.yaml"));
    assertEquals("demo", demo.config().name());
    assertEquals(
        List.of("bm25", "dense", "ce", "llm-sim-4b", "mix-bm25-llm"),
        demo.config().sources().stream().map(Source::name).toList());
    if (Files.isDirectory(Path.of("../shared/data/scifact"))) {
      assertEquals(
          "scifact",
          ExperimentConfig.load(Path.of("configs/scifact.yaml")).datasets().get(0).name());
    }
    // The paper's config is complete but for the data it downloads: the training collection is what
    // fails first, naming the command that fetches it.
    DatasetFormatException paper =
        assertThrows(
            DatasetFormatException.class,
            () -> ExperimentConfig.load(Path.of("configs/paper.yaml")));
    assertTrue(
        paper.getMessage().contains("field 'train_on.dataset'")
            && paper.getMessage().contains("bin/negbench download beir msmarco"),
        paper.getMessage());
  }

  @Test
  void onlyKeepsNamedSourcesAndTheirMixParts() throws IOException {
    ExperimentConfig.Loaded l = parse("ok.yaml", VALID);
    assertEquals(
        List.of("bm25", "mixed", "bm25-random"),
        l.only(List.of("mixed")).config().sources().stream().map(Source::name).toList());
    assertEquals(
        List.of("bm25-random"),
        l.only(List.of("bm25-random")).config().sources().stream().map(Source::name).toList());
    assertThrows(IllegalArgumentException.class, () -> l.only(List.of("nope")));
  }
}
