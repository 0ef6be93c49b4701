package dev.negbench.experiment.sources;

import com.fasterxml.jackson.annotation.JsonTypeName;
import dev.negbench.mine.Bm25Searcher;
import dev.negbench.mine.CrossEncoderMiner;
import dev.negbench.mine.ScoreActivation;
import dev.negbench.mine.ScoreFusion;
import dev.negbench.model.CrossEncoders;
import dev.negbench.model.Quantization;
import dev.negbench.model.QuantizedModels;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.UnaryOperator;

/**
 * {@code ce}: BM25 candidates rescored by a cross-encoder, as {@code negbench mine-ce}; ranks
 * default to the whole candidate depth, and a margin filters likely false negatives.
 *
 * @param model cross-encoder folder (model.onnx, tokenizer.json, config.json, or a train-ce
 *     checkpoint), relative to the config; with {@code train}, the encoder to fine-tune into one
 * @param maxLength tokens per (query, passage) pair (default 512, BERT's position limit)
 * @param train when set, the cross-encoder is first trained from {@code model} ({@link
 *     CrossEncoderTraining})
 * @param activation {@code sigmoid} (the default, set when the config leaves it out) or {@code
 *     none}: the scale the margins compare and the negatives' scores are on ({@link
 *     ScoreActivation}). The default is written into the record so that the stage key names it:
 *     negatives mined on raw logits before the field existed are not reused.
 * @param quantize {@code int8}: the cross-encoder (after training, when trained) scores as its
 *     dynamic int8 export ({@link QuantizedModels}); unset or {@code none}: as it is. Unset leaves
 *     the stage key as before.
 * @param fuse the weight W on the cross-encoder when the candidates are ranked by its logits fused
 *     with their BM25 scores ({@link ScoreFusion}, as {@code mine-ce --fuse bm25:W}); unset: the
 *     cross-encoder alone, and the stage key as before
 */
@JsonTypeName("ce")
public record CrossEncoderSource(
    String name,
    String model,
    Integer numNegatives,
    Integer rangeMin,
    Integer rangeMax,
    String sampling,
    Integer candidateDepth,
    Double relativeMargin,
    Double absoluteMargin,
    Integer maxLength,
    Integer batchSize,
    String device,
    CrossEncoderTraining train,
    String activation,
    String quantize,
    Double fuse)
    implements MinedSource {
  public CrossEncoderSource {
    if (activation == null) {
      activation = ScoreActivation.SIGMOID.label();
    }
  }

  @Override
  public CrossEncoderSource withName(String name) {
    return new CrossEncoderSource(
        name,
        model,
        numNegatives,
        rangeMin,
        rangeMax,
        sampling,
        candidateDepth,
        relativeMargin,
        absoluteMargin,
        maxLength,
        batchSize,
        device,
        train,
        activation,
        quantize,
        fuse);
  }

  /** The cross-encoder's quantization: none when unset. */
  public Quantization quantization() {
    return quantize == null ? Quantization.NONE : Quantization.parse(quantize);
  }

  @Override
  public List<String> models() {
    return model == null ? List.of() : List.of(model);
  }

  @Override
  public Optional<ModelUse> modelUse(String experimentDevice, UnaryOperator<String> resolve) {
    return Optional.of(new ModelUse(device != null ? device : experimentDevice, true));
  }

  public int candidateDepthOrDefault() {
    return candidateDepth == null ? 100 : candidateDepth;
  }

  @Override
  public int defaultRangeMax() {
    return candidateDepthOrDefault();
  }

  public int maxLengthOrDefault() {
    return maxLength == null ? 512 : maxLength;
  }

  public int batchSizeOrDefault() {
    return batchSize == null ? 32 : batchSize;
  }

  /** The fusion the candidates are ranked by, or null: the cross-encoder alone. */
  public ScoreFusion fusion() {
    return fuse == null ? null : new ScoreFusion(fuse);
  }

  /** The false-negative filter, or null for none. */
  public CrossEncoderMiner.Margin margin() {
    return relativeMargin != null
        ? CrossEncoderMiner.Margin.relative(relativeMargin)
        : absoluteMargin != null ? CrossEncoderMiner.Margin.absolute(absoluteMargin) : null;
  }

  @Override
  public void check(SourceCheck check) {
    checkMining(check);
    check.positive("candidate_depth", candidateDepth);
    check.positive("max_length", maxLength);
    check.positive("batch_size", batchSize);
    if (relativeMargin != null && absoluteMargin != null) {
      throw check.error(
          "absolute_margin", "relative_margin and absolute_margin exclude each other");
    }
    if (relativeMargin != null && !(relativeMargin >= 0 && relativeMargin < 1)) {
      throw check.error(
          "relative_margin", "expected 0 <= relative_margin < 1, was " + relativeMargin);
    }
    try {
      fusion(); // ScoreFusion holds the bounds
    } catch (IllegalArgumentException e) {
      throw check.error(
          "fuse",
          "expected 0 <= fuse <= 1, the weight on the cross-encoder (1 - fuse on BM25's scores), was "
              + fuse);
    }
    try {
      ScoreActivation.parse(activation);
    } catch (IllegalArgumentException e) {
      throw check.error(
          "activation", "expected 'sigmoid' or 'none', was " + SourceCheck.quote(activation));
    }
    if (train != null) {
      train.check(check);
      check.model(
          "model",
          model,
          true,
          "a ce source with train needs an encoder to start from ('minilm' or a DistilBERT/BERT folder)");
    } else {
      check.model(
          "model",
          model,
          false,
          "a ce source needs a cross-encoder folder (model.onnx, tokenizer.json, config.json)");
    }
    check.device("device", device);
    check.quantize("quantize", quantize);
  }

  @Override
  public Map<String, Object> inputChecksums(SourceContext context) {
    return Map.of("model_checksum", context.modelChecksum(context.model(startModel())));
  }

  @Override
  public List<Work> work(Work.Sizes sizes, String experimentDevice) {
    return List.of(
        new Work(
            "mine",
            name + " BM25 candidates",
            sizes.trainQueries(),
            Work.Kind.BM25_QUERIES,
            "cpu",
            null),
        new Work(
            "score",
            name,
            sizes.trainQueries() * (long) candidateDepthOrDefault() + sizes.trainPairs(),
            Work.Kind.SCORE_PAIRS,
            device != null ? device : experimentDevice,
            startModel()));
  }

  @Override
  public List<Work> setupWork(Work.Sizes sizes, String experimentDevice) {
    return train == null
        ? List.of()
        : train.work(name, sizes, device != null ? device : experimentDevice, startModel());
  }

  @Override
  public Object setupIdentity(String experimentDevice) {
    return train == null
        ? null
        : List.of(train, startModel(), device != null ? device : experimentDevice);
  }

  /**
   * The model the source names; {@code minilm} when a {@code train} block starts from the default.
   */
  private String startModel() {
    return model == null ? "minilm" : model;
  }

  @Override
  public void make(SourceContext context, long seed, Path out) {
    String device = context.device(this.device);
    Path reranker =
        train != null
            ? train.trained(context, context.model(startModel()), device)
            : Path.of(context.model(model));
    reranker = QuantizedModels.prepare(reranker, quantization(), context.work());
    // On the CPU each of --threads queries is scored at once on one ONNX Runtime thread; on a GPU
    // one session serves them all.
    ScoreActivation scale = ScoreActivation.parse(activation);
    try (CrossEncoders.Opened ce =
        CrossEncoders.open(reranker, maxLengthOrDefault(), batchSizeOrDefault(), 1, device)) {
      scale.check(ce.labels(), reranker);
      context.mine(
          new CrossEncoderMiner(
              new Bm25Searcher(context.bm25()),
              ce,
              candidateDepthOrDefault(),
              settings(seed),
              margin(),
              scale,
              fusion()),
          negativesPerQuery(),
          out);
    }
  }
}
