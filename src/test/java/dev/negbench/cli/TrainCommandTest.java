package dev.negbench.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.negbench.data.TinyDatasets;
import dev.negbench.model.Fixtures;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** train, embed and dense-search with a trained checkpoint, and their bad-input exits. */
class TrainCommandTest {
  private static final String MODEL = Fixtures.dir(Fixtures.BI_ENCODER).toString();

  @Test
  void trainThenEmbedAndSearchWithTheCheckpoint(@TempDir Path tmp) throws IOException {
    Path data = TinyDatasets.small(tmp.resolve("data"));
    Path negs = tmp.resolve("negs.jsonl");
    Files.writeString(
        negs,
        """
        {"query_id": "q1", "query": "roasting coffee beans", "positive_ids": ["d2"], "negatives": [{"doc_id": "d3", "rank": 1, "score": 1}]}
        {"query_id": "q3", "query": "bicycle brakes", "positive_ids": ["d6"], "negatives": [{"doc_id": "gen:q3:0", "rank": 0, "score": 0, "text": "car brakes"}]}
        """);
    Path out = tmp.resolve("ckpt");
    var train =
        CliTest.run(
            "train",
            "--dataset=" + data,
            "--negatives=" + negs,
            "--model=" + MODEL,
            "--batch-size=2",
            "--epochs=2",
            "--lr=1e-3",
            "--max-doc-length=32",
            "--out=" + out);
    assertEquals(0, train.code(), train.err());
    assertTrue(train.err().contains("step 2/2"), train.err());
    assertTrue(Files.isRegularFile(out.resolve("model.safetensors")));

    Path texts = tmp.resolve("texts.jsonl");
    Files.writeString(
        texts, "{\"id\": \"a\", \"text\": \"coffee\"}\n{\"id\": \"b\", \"text\": \"tea\"}\n");
    Path djl = tmp.resolve("djl.jsonl");
    Path onnx = tmp.resolve("onnx.jsonl");
    assertEquals(
        0,
        CliTest.run("embed", "--model=" + MODEL, "--engine=djl", "--texts=" + texts, "--out=" + djl)
            .code());
    assertEquals(
        0,
        CliTest.run(
                "embed", "--model=" + MODEL, "--engine=onnx", "--texts=" + texts, "--out=" + onnx)
            .code());
    List<String> a = Files.readAllLines(djl);
    List<String> b = Files.readAllLines(onnx);
    ObjectMapper json = new ObjectMapper();
    for (int i = 0; i < 2; i++) {
      JsonNode x = json.readTree(a.get(i)).get("embedding");
      JsonNode y = json.readTree(b.get(i)).get("embedding");
      assertEquals(32, x.size());
      for (int d = 0; d < x.size(); d++) {
        assertEquals(y.get(d).asDouble(), x.get(d).asDouble(), 1e-4, "the two engines agree");
      }
    }

    Path run = tmp.resolve("ft.run");
    var search =
        CliTest.run(
            "dense-search",
            "--work-dir=" + tmp.resolve("work"),
            "--dataset=" + data,
            "--split=test",
            "--model=" + out,
            "--top-k=3",
            "--run=" + run);
    assertEquals(0, search.code(), search.err());
    assertEquals(3, Files.readAllLines(run).size());
  }

  @Test
  void badInputExitsTwo(@TempDir Path tmp) throws IOException {
    Path data = TinyDatasets.small(tmp.resolve("data"));
    Path negs = tmp.resolve("negs.jsonl");
    Files.writeString(
        negs,
        "{\"query_id\": \"q1\", \"query\": \"x\", \"positive_ids\": [\"d2\"], \"negatives\": [{\"doc_id\": \"missing\"}]}\n");
    var unknown =
        CliTest.run(
            "train",
            "--dataset=" + data,
            "--negatives=" + negs,
            "--model=" + MODEL,
            "--out=" + tmp.resolve("o"));
    assertEquals(2, unknown.code(), unknown.err());
    assertTrue(
        unknown.err().contains("negs.jsonl:1") && unknown.err().contains("'missing'"),
        unknown.err());

    // A generated row whose positive_id is not relevant to its query (q2's d5 is judged 0).
    Path pairs = tmp.resolve("pairs.jsonl");
    Files.writeString(
        pairs,
        "{\"query_id\": \"q1\", \"query\": \"x\", \"positive_ids\": [\"d2\"], \"positive_id\": \"d2\", \"negatives\": []}\n"
            + "{\"query_id\": \"q2\", \"query\": \"y\", \"positive_ids\": [\"d5\"], \"positive_id\": \"d5\", \"negatives\": []}\n");
    var notPositive =
        CliTest.run(
            "train",
            "--dataset=" + data,
            "--negatives=" + pairs,
            "--model=" + MODEL,
            "--out=" + tmp.resolve("o"));
    assertEquals(2, notPositive.code(), notPositive.err());
    assertTrue(
        notPositive.err().contains("pairs.jsonl:2: positive_id 'd5' is not a positive of query q2"),
        notPositive.err());

    Path model = Files.createDirectories(tmp.resolve("gpt"));
    Files.writeString(
        model.resolve("config.json"), "{\"model_type\": \"gpt2\", \"vocab_size\": 50257}");
    Files.copy(
        Fixtures.dir(Fixtures.BI_ENCODER).resolve("tokenizer.json"),
        model.resolve("tokenizer.json"));
    Files.copy(
        Fixtures.dir(Fixtures.BI_ENCODER).resolve("model.safetensors"),
        model.resolve("model.safetensors"));
    Path texts = tmp.resolve("t.jsonl");
    Files.writeString(texts, "{\"id\": \"a\", \"text\": \"coffee\"}\n");
    var arch = CliTest.run("embed", "--model=" + model, "--texts=" + texts);
    assertEquals(2, arch.code(), arch.err());
    assertTrue(arch.err().contains("gpt2"), arch.err());

    var lr =
        CliTest.run(
            "train",
            "--dataset=" + data,
            "--negatives=" + negs,
            "--model=" + MODEL,
            "--lr=-1",
            "--out=" + tmp.resolve("o"));
    assertEquals(2, lr.code(), lr.err());
  }
}
