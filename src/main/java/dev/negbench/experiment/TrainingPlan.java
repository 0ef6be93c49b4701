package dev.negbench.experiment;

import dev.negbench.experiment.sources.Source;

/**
 * How each (dataset, source, seed) trains its retriever: the config's {@code training} block;
 * {@link TrainStep#trainer} turns it into the trainer's settings.
 *
 * @param model base bi-encoder to fine-tune (a model name or folder), also the zero-shot baseline
 * @param split qrels split whose queries and positives are trained on
 * @param negativesPerQuery hard negatives per (query, positive) used for triples
 * @param device cpu or cuda[:N], where training runs; default: the experiment's {@code device}
 */
public record TrainingPlan(
    String model,
    String split,
    Integer epochs,
    Integer batchSize,
    Double learningRate,
    Double warmupRatio,
    Integer maxQueryLength,
    Integer maxPassageLength,
    Integer negativesPerQuery,
    String device) {
  // Defaults from sentence-transformers' MultipleNegativesRankingLoss recipe on BEIR-sized data
  // (batch 32, lr 2e-5, 10% warmup, one epoch) and the paper's one negative per triple.
  public TrainingPlan {
    model = model == null ? "minilm" : model;
    split = split == null ? "train" : split;
    epochs = epochs == null ? 1 : epochs;
    batchSize = batchSize == null ? 32 : batchSize;
    learningRate = learningRate == null ? 2e-5 : learningRate;
    warmupRatio = warmupRatio == null ? 0.1 : warmupRatio;
    maxQueryLength = maxQueryLength == null ? 32 : maxQueryLength;
    maxPassageLength = maxPassageLength == null ? 256 : maxPassageLength;
    negativesPerQuery = negativesPerQuery == null ? 1 : negativesPerQuery;
    // device: null trains on the experiment's device; "cuda" trains on the GPU (DJL's PyTorch with
    // CUDA)
  }

  /** This plan with another base model (e.g. resolved against the config's folder). */
  public TrainingPlan withModel(String model) {
    return with(model, negativesPerQuery, device);
  }

  /** This plan on {@code device}. */
  public TrainingPlan withDevice(String device) {
    return with(model, negativesPerQuery, device);
  }

  /**
   * This plan for a source's negatives: a mix's training group takes every negative the mix holds
   * for a (query, positive) pair (one from each part, by default), so that it trains on all its
   * parts; with one negative a group it would train on its first part alone. The group grows rather
   * than the examples multiplying (one triple per negative), so a mix trains on the same (query,
   * positive) pairs, in as many steps, as every other source.
   */
  public TrainingPlan forSource(Source source) {
    int held = source.negativesPerQuery();
    if (source.inputs().isEmpty() || held <= negativesPerQuery) {
      return this;
    }
    return with(model, held, device);
  }

  private TrainingPlan with(String model, Integer negativesPerQuery, String device) {
    return new TrainingPlan(
        model,
        split,
        epochs,
        batchSize,
        learningRate,
        warmupRatio,
        maxQueryLength,
        maxPassageLength,
        negativesPerQuery,
        device);
  }

  static TrainingPlan defaults() {
    return new TrainingPlan(null, null, null, null, null, null, null, null, null, null);
  }
}
