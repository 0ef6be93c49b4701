package dev.negbench.train;

import dev.negbench.model.DjlModel;
import dev.negbench.model.Encoding;
import dev.negbench.model.PaddedBatch;
import dev.negbench.model.TextTokenizer;
import java.util.ArrayList;
import java.util.List;

/**
 * One optimizer step of cross-encoder training on a batch of groups: every (query, passage) pair of
 * each example, positive first, tokenized as one input of at most {@code maxDocLength} tokens
 * (truncated longest-first), forward through the classification head, {@link CrossEncoderLoss},
 * backward, clip, AdamW update.
 */
final class CrossEncoderStep implements Objective.Step {
  private final DjlModel model;
  private final TrainingSettings settings;
  private final CrossEncoderLoss.Kind loss;
  private final TextTokenizer tokenizer;
  private final AdamW adam;

  CrossEncoderStep(DjlModel model, TrainingSettings settings, CrossEncoderLoss.Kind loss) {
    this.model = model;
    this.settings = settings;
    this.loss = loss;
    this.tokenizer =
        TextTokenizer.load(
            model.tokenizer(), Math.min(settings.maxDocLength(), model.config().maxPositions()));
    this.adam = Training.optimizer(model, settings);
  }

  @Override
  public AdamW optimizer() {
    return adam;
  }

  @Override
  public double step(List<TrainingExample> batch, double lr) {
    List<Encoding> pairs = new ArrayList<>();
    int[] groups = new int[batch.size()];
    for (int i = 0; i < batch.size(); i++) {
      TrainingExample e = batch.get(i);
      pairs.add(tokenizer.encode(e.query(), e.positive()));
      for (String n : e.negatives()) {
        pairs.add(tokenizer.encode(e.query(), n));
      }
      groups[i] = 1 + e.negatives().size();
    }
    PaddedBatch padded = PaddedBatch.of(pairs);
    return Training.descend(
        model,
        adam,
        settings.maxGradNorm(),
        lr,
        scope -> CrossEncoderLoss.loss(model.block(), padded, groups, loss, scope));
  }

  @Override
  public void close() {
    tokenizer.close();
  }
}
