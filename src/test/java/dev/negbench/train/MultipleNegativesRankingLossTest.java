package dev.negbench.train;

import static org.junit.jupiter.api.Assertions.assertEquals;

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
    try (DjlModel model = DjlModel.open(Fixtures.dir(Fixtures.BI_ENCODER).toString(), Device.cpu())) {
      Training.attachGradients(model.block());
      AdamW adam = new AdamW(model.block().parametersByName(), 0.9, 0.999, 1e-8, 0);
      JsonNode expected = g.get("loss_before_each_step");
      int arrays = -1;
      for (int step = 0; step < expected.size(); step++) {
        float loss;
        try (NDManager scope = model.manager().newSubManager();
            GradientCollector collector = Engine.getEngine("PyTorch").newGradientCollector()) {
          NDArray l = MultipleNegativesRankingLoss.loss(model.block(), queries, docs, (float) g.get("scale").asDouble(), scope);
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
}
