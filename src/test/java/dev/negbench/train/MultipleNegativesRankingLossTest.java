package dev.negbench.train;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.Device;
import ai.djl.engine.Engine;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.training.GradientCollector;
import com.fasterxml.jackson.databind.JsonNode;
import dev.negbench.model.DjlModel;
import dev.negbench.model.Fixtures;
import dev.negbench.model.PaddedBatch;
import java.io.IOException;
import java.util.LinkedHashMap;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** Ten Adam steps on MNRL reproduce PyTorch's losses for the distilbert-tiny fixture. */
class MultipleNegativesRankingLossTest {
  static PaddedBatch batch(JsonNode ids, JsonNode mask) {
    int rows = ids.size();
    int length = ids.get(0).size();
    long[] i = new long[rows * length];
    long[] m = new long[rows * length];
    for (int r = 0; r < rows; r++) {
      for (int t = 0; t < length; t++) {
        i[r * length + t] = ids.get(r).get(t).asLong();
        m[r * length + t] = mask.get(r).get(t).asLong();
      }
    }
    return new PaddedBatch(rows, length, i, new long[rows * length], m);
  }

  @Test
  void tenAdamStepsReproduceGoldenLosses() throws IOException {
    JsonNode g = Fixtures.golden(Fixtures.BI_ENCODER).get("mnrl_training");
    PaddedBatch queries = batch(g.get("query_input_ids"), g.get("query_attention_mask"));
    PaddedBatch docs = batch(g.get("doc_input_ids"), g.get("doc_attention_mask"));
    try (DjlModel model =
        DjlModel.open(Fixtures.dir(Fixtures.BI_ENCODER).toString(), Device.cpu())) {
      Training.attachGradients(model.block());
      AdamW adam = new AdamW(model.block().parametersByName(), 0.9, 0.999, 1e-8, 0);
      JsonNode expected = g.get("loss_before_each_step");
      int arrays = -1;
      for (int step = 0; step < expected.size(); step++) {
        float loss;
        try (NDManager scope = model.manager().newSubManager();
            GradientCollector collector = Engine.getEngine("PyTorch").newGradientCollector()) {
          NDArray l =
              MultipleNegativesRankingLoss.loss(
                  model.block(), queries, docs, (float) g.get("scale").asDouble(), scope);
          loss = l.getFloat();
          collector.backward(l);
        }
        adam.step(1e-3);
        assertEquals(expected.get(step).asDouble(), loss, 1e-3, "loss before step " + step);
        // Steps free what they create: the weights' manager holds as many arrays after each step.
        int now = model.manager().getManagedArrays().size();
        if (step > 0) {
          assertEquals(arrays, now, "arrays left on the model's manager after step " + step);
        }
        arrays = now;
      }
    }
  }

  /**
   * Autograd keeps every operand it needs for backward, and ours live in libtorch's memory: DJL's
   * {@code mul(Number)} and friends put the number in a Java direct buffer that is freed once the
   * JVM collects it, so a collection between forward and backward changed the gradients (NaN in
   * training). Surefire runs with MALLOC_PERTURB_, so freed memory reads as garbage, not as the old
   * value.
   */
  @Test
  void gradientsDoNotChangeWhenTheJvmCollectsBetweenForwardAndBackward() throws Exception {
    Map<String, float[]> quiet = gradients(false);
    Map<String, float[]> collected = gradients(true);
    for (var e : quiet.entrySet()) {
      float[] want = e.getValue();
      float[] got = collected.get(e.getKey());
      for (int i = 0; i < want.length; i++) {
        assertTrue(Float.isFinite(got[i]), e.getKey() + "[" + i + "] is " + got[i]);
        assertEquals(want[i], got[i], 1e-6 + 1e-4 * Math.abs(want[i]), e.getKey() + "[" + i + "]");
      }
    }
  }

  private static Map<String, float[]> gradients(boolean collectBeforeBackward) throws Exception {
    JsonNode g = Fixtures.golden(Fixtures.BI_ENCODER).get("mnrl_training");
    PaddedBatch queries = batch(g.get("query_input_ids"), g.get("query_attention_mask"));
    PaddedBatch docs = batch(g.get("doc_input_ids"), g.get("doc_attention_mask"));
    Map<String, float[]> out = new LinkedHashMap<>();
    try (DjlModel model =
        DjlModel.open(Fixtures.dir(Fixtures.BI_ENCODER).toString(), Device.cpu())) {
      Training.attachGradients(model.block());
      try (NDManager scope = model.manager().newSubManager();
          GradientCollector collector = Engine.getEngine("PyTorch").newGradientCollector()) {
        NDArray l =
            MultipleNegativesRankingLoss.loss(
                model.block(), queries, docs, (float) g.get("scale").asDouble(), scope);
        if (collectBeforeBackward) {
          for (int i = 0; i < 5; i++) {
            System
                .gc(); // direct buffers nobody references are freed by the reference handler after
            // this
            Thread.sleep(40);
          }
        }
        collector.backward(l);
      }
      model
          .block()
          .parametersByName()
          .forEach((name, p) -> out.put(name, p.getArray().getGradient().toFloatArray()));
    }
    return out;
  }
}
