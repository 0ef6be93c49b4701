package dev.negbench.experiment.sources;

import com.fasterxml.jackson.annotation.JsonTypeName;
import dev.negbench.data.Query;
import dev.negbench.io.Progress;
import dev.negbench.mine.DenseEmbeddings;
import dev.negbench.mine.DenseIndexes;
import dev.negbench.mine.DenseMiner;
import dev.negbench.mine.HardNegativeMining;
import dev.negbench.model.Encoders;
import dev.negbench.model.Quantization;
import dev.negbench.model.QuantizedModels;
import dev.negbench.model.TextEncoder;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.UnaryOperator;

/**
 * {@code dense}: negatives from a bi-encoder's exact search, as {@code negbench mine-dense}; the
 * built-in all-MiniLM-L6-v2 when {@code model} is not set.
 *
 * @param maxLength tokens per text (default 256, all-MiniLM-L6-v2's max_seq_length)
 * @param denseIndex {@code exact}, {@code hnsw} or {@code auto} (default; see {@link DenseIndexes})
 * @param quantize {@code int8}: the bi-encoder runs as its dynamic int8 export ({@link
 *     QuantizedModels}); unset or {@code none}: as it is. Unset leaves the stage key as before.
 */
@JsonTypeName("dense")
public record DenseSource(
    String name,
    String model,
    Integer numNegatives,
    Integer rangeMin,
    Integer rangeMax,
    String sampling,
    Integer maxLength,
    Integer batchSize,
    String device,
    String denseIndex,
    String quantize)
    implements MinedSource {
  @Override
  public DenseSource withName(String name) {
    return new DenseSource(
        name,
        model,
        numNegatives,
        rangeMin,
        rangeMax,
        sampling,
        maxLength,
        batchSize,
        device,
        denseIndex,
        quantize);
  }

  @Override
  public List<String> models() {
    return model == null ? List.of() : List.of(model);
  }

  @Override
  public Optional<ModelUse> modelUse(String experimentDevice, UnaryOperator<String> resolve) {
    String encoder = resolve.apply(model == null ? "minilm" : model);
    return Optional.of(
        new ModelUse(
            device != null ? device : experimentDevice,
            quantization() != Quantization.NONE
                || Encoders.engineFor(encoder) == Encoders.Engine.ONNX));
  }

  /** The bi-encoder's quantization: none when unset. */
  public Quantization quantization() {
    return quantize == null ? Quantization.NONE : Quantization.parse(quantize);
  }

  public int maxLengthOrDefault() {
    return maxLength == null ? 256 : maxLength;
  }

  public int batchSizeOrDefault() {
    return batchSize == null ? 64 : batchSize;
  }

  @Override
  public void check(SourceCheck check) {
    checkMining(check);
    check.positive("max_length", maxLength);
    check.positive("batch_size", batchSize);
    check.model("model", model, true, null);
    check.device("device", device);
    check.quantize("quantize", quantize);
    if (!DenseIndexes.isValid(denseIndex)) {
      throw check.error("dense_index", "expected exact, hnsw or auto, found '" + denseIndex + "'");
    }
  }

  @Override
  public Map<String, Object> inputChecksums(SourceContext context) {
    return model == null
        ? Map.of()
        : Map.of("model_checksum", context.modelChecksum(context.model(model)));
  }

  @Override
  public List<Work> work(Work.Sizes sizes, String experimentDevice) {
    return List.of(
        new Work(
            "encode",
            name + " corpus and queries",
            sizes.documents() + sizes.trainQueries(),
            Work.Kind.ENCODE_TEXTS,
            device != null ? device : experimentDevice,
            model == null ? "minilm" : model,
            maxLengthOrDefault()));
  }

  @Override
  public void make(SourceContext context, long seed, Path out) {
    String encoderModel =
        QuantizedModels.prepare(
            context.model(model == null ? "minilm" : model), quantization(), context.work());
    String on = context.device(device);
    DenseEmbeddings corpus = context.embeddings(encoderModel, maxLengthOrDefault(), on);
    List<Query> todo = HardNegativeMining.queriesWithPositives(context.qrels(), context.queries());
    float[][] vectors;
    try (TextEncoder encoder =
            context.encoder(encoderModel, maxLengthOrDefault(), batchSizeOrDefault(), on);
        Progress bar = context.progress().start("Encoding queries", todo.size())) {
      vectors = encoder.encode(todo.stream().map(Query::text).toList(), true, bar);
    }
    try (var searcher =
        DenseIndexes.open(
            denseIndex,
            corpus,
            todo.size(),
            context.work(),
            context.threads(),
            context.progress())) {
      context.mine(
          new DenseMiner(
              searcher.searcher(),
              todo,
              vectors,
              settings(seed),
              context.threads(),
              context.progress()),
          negativesPerQuery(),
          out);
    }
  }
}
