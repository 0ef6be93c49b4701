package dev.negbench.model;

import ai.djl.Device;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.negbench.io.AtomicFiles;
import dev.negbench.io.DatasetFormatException;
import dev.negbench.io.Json;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Random;
import java.util.stream.Collectors;

/**
 * A Hugging Face encoder on DJL PyTorch: its config, the {@link TransformerBlock} with weights on a
 * device, and the tokenizer file. Opened from a Hugging Face folder ({@code config.json}, {@code
 * model.safetensors}, {@code tokenizer.json}) or imported from an ONNX export ({@link
 * OnnxWeights}); saved back as a Hugging Face folder that transformers and sentence-transformers
 * load as it is.
 */
public final class DjlModel implements AutoCloseable {
  public static final String WEIGHTS = "model.safetensors";

  /** Seed of the pooler weights made up for an ONNX export that dropped them. */
  private static final long POOLER_SEED = 0;

  private final TransformerConfig config;
  private final TransformerBlock block;
  private final NDManager manager;
  private final Path tokenizer;
  private final Path weightsFile;

  private DjlModel(
      TransformerConfig config,
      TransformerBlock block,
      NDManager manager,
      Path tokenizer,
      Path weightsFile) {
    this.config = config;
    this.block = block;
    this.manager = manager;
    this.tokenizer = tokenizer;
    this.weightsFile = weightsFile;
  }

  /**
   * Opens a model folder: {@code model.safetensors} when present, else an ONNX export ({@code
   * model.onnx} or {@code onnx/model.onnx}) whose weights are imported; a folder with only {@code
   * pytorch_model.bin} is an error that says how to convert it. A built-in name ({@code minilm})
   * resolves to its folder.
   */
  public static DjlModel open(String model, Device device) {
    return open(model, device, DataType.FLOAT32);
  }

  /**
   * As {@link #open(String, Device)} with the weights in {@code dataType} (float16 for GPU
   * encoding).
   */
  public static DjlModel open(String model, Device device, DataType dataType) {
    Path dir = BuiltinModels.resolve(model);
    if (!Files.isDirectory(dir)) {
      throw new DatasetFormatException(
          dir,
          0,
          "not a folder; expected a Hugging Face model folder (config.json, model.safetensors, tokenizer.json) or an ONNX export");
    }
    Path tokenizer = dir.resolve("tokenizer.json");
    if (!Files.isRegularFile(tokenizer)) {
      throw new DatasetFormatException(
          tokenizer, 0, "file not found; expected the model's Hugging Face tokenizer.json");
    }
    TransformerConfig config = TransformerConfig.read(dir.resolve("config.json"));
    Path safetensors = dir.resolve(WEIGHTS);
    Map<String, SafeTensors.Tensor> weights;
    Path source;
    if (Files.isRegularFile(safetensors)) {
      weights = SafeTensors.read(safetensors);
      source = safetensors;
    } else {
      Path onnx =
          Files.isRegularFile(dir.resolve("model.onnx"))
              ? dir.resolve("model.onnx")
              : dir.resolve("onnx").resolve("model.onnx");
      if (Files.isRegularFile(onnx)) {
        weights = OnnxWeights.read(onnx);
        source = onnx;
      } else if (Files.isRegularFile(dir.resolve("pytorch_model.bin"))) {
        throw new DatasetFormatException(
            dir.resolve("pytorch_model.bin"),
            0,
            "PyTorch pickles are not read (unsafe and Python-only); expected model.safetensors. Convert it once in Python:"
                + " AutoModel.from_pretrained(DIR).save_pretrained(DIR, safe_serialization=True)");
      } else {
        throw new DatasetFormatException(
            safetensors,
            0,
            "file not found; expected Hugging Face weights (model.safetensors) or an ONNX export (model.onnx)");
      }
    }
    return of(config, weights, device, dataType, tokenizer, source);
  }

  /**
   * A cross-encoder to train or score with: a folder whose config has a one-logit classification
   * head ({@code *ForSequenceClassification}, {@code num_labels} 1) opens as it is; a bare encoder
   * ({@code minilm}, a DistilBERT or BERT folder) gets one, as transformers' {@code
   * AutoModelForSequenceClassification.from_pretrained} adds it: the encoder's weights under the
   * head's prefix ({@code bert.}, {@code distilbert.}) and the new layers ({@code classifier}, and
   * DistilBERT's {@code pre_classifier}) drawn from normal(0, initializer_range) with {@code seed},
   * biases 0. The score of a pair is the logit, sentence-transformers' {@code CrossEncoder}
   * default.
   */
  public static DjlModel openCrossEncoder(String model, Device device, long seed) {
    DjlModel base = open(model, device);
    if (base.config.labels() > 0) {
      if (base.config.labels() != 1) {
        base.close();
        throw new DatasetFormatException(
            BuiltinModels.resolve(model).resolve("config.json"),
            0,
            base.config.labels()
                + " labels; expected a one-logit cross-encoder (num_labels 1) or a bare encoder to add one to");
      }
      return base;
    }
    try (base) {
      TransformerConfig ce = base.config.withOneLogitHead();
      Map<String, SafeTensors.Tensor> weights = new LinkedHashMap<>();
      base.block.weights().forEach((name, t) -> weights.put(ce.headPrefix() + name, t));
      Random random = new Random(seed);
      for (var e : ce.parameterShapes(true).entrySet()) {
        if (!weights.containsKey(e.getKey())) {
          weights.put(
              e.getKey(),
              TransformerBlock.randomTensor(
                  e.getKey(), e.getValue(), ce.initializerRange(), random));
        }
      }
      return of(ce, weights, device, DataType.FLOAT32, base.tokenizer, base.weightsFile);
    }
  }

  /** A model from host weights: prefixes of a model with a head are dropped for a bare encoder. */
  static DjlModel of(
      TransformerConfig config,
      Map<String, SafeTensors.Tensor> weights,
      Device device,
      DataType dataType,
      Path tokenizer,
      Path source) {
    Map<String, SafeTensors.Tensor> named = weights;
    String encoderKey = "embeddings.word_embeddings.weight";
    if (config.labels() == 0
        && !weights.containsKey(encoderKey)
        && weights.containsKey(config.headPrefix() + encoderKey)) {
      named = new LinkedHashMap<>();
      for (var e : weights.entrySet()) {
        if (e.getKey().startsWith(config.headPrefix())) {
          named.put(e.getKey().substring(config.headPrefix().length()), e.getValue());
        }
      }
    }
    boolean pooler =
        named.containsKey((config.labels() > 0 ? config.headPrefix() : "") + "pooler.dense.weight");
    if (config.isBert() && !pooler && config.labels() == 0) {
      // An ONNX export of last_hidden_state drops BertModel's pooler; sentence-transformers never
      // uses it, but BertModel's state dict has it. Initialised as transformers would, so saved
      // checkpoints carry exactly BertModel's names.
      named = new LinkedHashMap<>(named);
      named.putAll(
          TransformerBlock.randomWeights(config, true, POOLER_SEED).entrySet().stream()
              .filter(e -> e.getKey().startsWith("pooler."))
              .collect(Collectors.toMap(Map.Entry::getKey, Map.Entry::getValue)));
      pooler = true;
    }
    TransformerBlock block = new TransformerBlock(config, pooler);
    NDManager manager = Djl.manager(device);
    try {
      block.load(named, manager, dataType, source);
    } catch (RuntimeException e) {
      manager.close();
      throw e;
    }
    return new DjlModel(config, block, manager, tokenizer, source);
  }

  /** Random weights of the given shape (benchmarks: DistilBERT-base's shape without a download). */
  public static DjlModel random(
      TransformerConfig config, Device device, Path tokenizer, long seed) {
    return of(
        config,
        TransformerBlock.randomWeights(config, config.isBert(), seed),
        device,
        DataType.FLOAT32,
        tokenizer,
        Path.of("random-weights"));
  }

  /** DistilBERT-base's config (distilbert-base-uncased): 6 layers, 768 dimensions, 12 heads. */
  public static TransformerConfig distilbertBase() {
    ObjectNode json = Json.PLAIN.createObjectNode();
    json.put("model_type", "distilbert");
    json.putArray("architectures").add("DistilBertModel");
    json.put("vocab_size", 30522);
    json.put("dim", 768);
    json.put("n_layers", 6);
    json.put("n_heads", 12);
    json.put("hidden_dim", 3072);
    json.put("max_position_embeddings", 512);
    json.put("activation", "gelu");
    json.put("dropout", 0.0);
    json.put("attention_dropout", 0.0);
    json.put("initializer_range", 0.02);
    json.put("pad_token_id", 0);
    return TransformerConfig.of(Path.of("distilbert-base"), json);
  }

  public TransformerConfig config() {
    return config;
  }

  public TransformerBlock block() {
    return block;
  }

  public NDManager manager() {
    return manager;
  }

  public Device device() {
    return manager.getDevice();
  }

  public Path tokenizer() {
    return tokenizer;
  }

  /** Where the weights came from ({@code model.safetensors} or {@code model.onnx}). */
  public Path weightsFile() {
    return weightsFile;
  }

  /**
   * Writes a Hugging Face folder: {@code model.safetensors} (float32, transformers' names and
   * shapes), {@code config.json}, {@code tokenizer.json}, and sentence-transformers' module files
   * (mean pooling, normalised output, max_seq_length) so that {@code SentenceTransformer(DIR)}
   * encodes as negbench does. Each file is written atomically; the weights go last but one and
   * {@code config.json} last, so a folder with a config is whole. A cross-encoder (a model with a
   * classification head) gets no sentence-transformers module files: its folder is what
   * transformers' {@code AutoModelForSequenceClassification} and sentence-transformers' {@code
   * CrossEncoder} load.
   */
  public void save(Path dir, int maxSeqLength) {
    save(dir, block.weights(), maxSeqLength);
  }

  /** As {@link #save(Path, int)}, with weights already copied to the host. */
  public void save(Path dir, Map<String, SafeTensors.Tensor> weights, int maxSeqLength) {
    try {
      Files.createDirectories(dir);
      Path tok = dir.resolve("tokenizer.json");
      if (!Files.exists(tok) || !Files.isSameFile(tok, tokenizer)) {
        Path tmp = Files.createTempFile(dir.toAbsolutePath(), ".tokenizer.json.", ".tmp");
        Files.copy(tokenizer, tmp, StandardCopyOption.REPLACE_EXISTING);
        AtomicFiles.move(tmp, tok.toAbsolutePath());
      }
      if (config.labels() == 0) {
        writeSentenceTransformersModules(dir, maxSeqLength);
      }
      SafeTensors.write(dir.resolve(WEIGHTS), weights, Map.of("format", "pt"));
      ObjectNode json = config.json().deepCopy();
      json.putArray("architectures").add(config.architecture());
      json.put("dtype", "float32");
      Json.write(dir.resolve("config.json"), json);
    } catch (IOException e) {
      throw new UncheckedIOException("cannot write the checkpoint " + dir, e);
    }
  }

  /**
   * Mean pooling, normalised output and max_seq_length, so that {@code SentenceTransformer(DIR)}
   * encodes as negbench does.
   */
  private void writeSentenceTransformersModules(Path dir, int maxSeqLength) {
    int dim = config.hidden();
    AtomicFiles.writeString(
        dir.resolve("modules.json"),
        "[\n  {\"idx\": 0, \"name\": \"0\", \"path\": \"\", \"type\": \"sentence_transformers.models.Transformer\"},\n"
            + "  {\"idx\": 1, \"name\": \"1\", \"path\": \"1_Pooling\", \"type\": \"sentence_transformers.models.Pooling\"},\n"
            + "  {\"idx\": 2, \"name\": \"2\", \"path\": \"2_Normalize\", \"type\": \"sentence_transformers.models.Normalize\"}\n]\n");
    AtomicFiles.writeString(
        dir.resolve("sentence_bert_config.json"),
        "{\"max_seq_length\": " + maxSeqLength + ", \"do_lower_case\": false}\n");
    AtomicFiles.writeString(
        dir.resolve("1_Pooling").resolve("config.json"),
        "{\"word_embedding_dimension\": "
            + dim
            + ", \"pooling_mode_cls_token\": false, \"pooling_mode_mean_tokens\": true,"
            + " \"pooling_mode_max_tokens\": false, \"pooling_mode_mean_sqrt_len_tokens\": false}\n");
    try {
      Files.createDirectories(dir.resolve("2_Normalize"));
    } catch (IOException e) {
      throw new UncheckedIOException("cannot write the checkpoint " + dir, e);
    }
  }

  @Override
  public void close() {
    manager.close();
  }
}
