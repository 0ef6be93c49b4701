package dev.negbench.train;

import dev.negbench.model.DjlModel;
import dev.negbench.model.Encoding;
import dev.negbench.model.PaddedBatch;
import dev.negbench.model.TextTokenizer;
import java.util.ArrayList;
import java.util.List;

/**
 * One optimizer step of MNRL training on a batch of examples: tokenize (queries and passages to
 * their own max lengths), forward, loss, backward, clip, AdamW update. The trainer and {@code
 * TrainingStepBenchmark} both run this.
 */
public final class MnrlStep implements Objective.Step {
  private final DjlModel model;
  private final TrainingSettings settings;
  private final TextTokenizer queryTokens;
  private final TextTokenizer docTokens;
  private final AdamW adam;

  /**
   * Attaches gradients to the model's weights and creates the optimizer (Adam betas 0.9/0.999, eps
   * 1e-8).
   */
  public MnrlStep(DjlModel model, TrainingSettings settings) {
    this.model = model;
    this.settings = settings;
    int positions = model.config().maxPositions();
    this.queryTokens =
        TextTokenizer.load(model.tokenizer(), Math.min(settings.maxQueryLength(), positions));
    TextTokenizer docs;
    try {
      docs = TextTokenizer.load(model.tokenizer(), Math.min(settings.maxDocLength(), positions));
    } catch (RuntimeException e) {
      queryTokens.close();
      throw e;
    }
    this.docTokens = docs;
    this.adam = Training.optimizer(model, settings);
  }

  @Override
  public AdamW optimizer() {
    return adam;
  }

  public TextTokenizer queryTokenizer() {
    return queryTokens;
  }

  public TextTokenizer documentTokenizer() {
    return docTokens;
  }

  /**
   * Trains on one batch at learning rate {@code lr} and returns the loss before the update. A
   * non-finite loss updates nothing and is returned for the caller to stop on.
   */
  @Override
  public double step(List<TrainingExample> batch, double lr) {
    List<Encoding> queries = new ArrayList<>(batch.size());
    List<Encoding> docs = new ArrayList<>(batch.size() * (1 + settings.negativesPerQuery()));
    for (TrainingExample e : batch) {
      queries.add(queryTokens.encode(e.query()));
      docs.add(docTokens.encode(e.positive()));
    }
    for (TrainingExample e : batch) {
      for (String n : e.negatives()) {
        docs.add(docTokens.encode(n));
      }
    }
    PaddedBatch q = PaddedBatch.of(queries);
    PaddedBatch d = PaddedBatch.of(docs);
    return Training.descend(
        model,
        adam,
        settings.maxGradNorm(),
        lr,
        scope ->
            MultipleNegativesRankingLoss.loss(
                model.block(), q, d, (float) settings.scale(), scope));
  }

  @Override
  public void close() {
    queryTokens.close();
    docTokens.close();
  }
}
