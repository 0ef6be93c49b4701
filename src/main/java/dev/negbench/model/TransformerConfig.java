package dev.negbench.model;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.negbench.io.DatasetFormatException;
import dev.negbench.io.Json;
import java.io.FileNotFoundException;
import java.io.IOException;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * A Hugging Face {@code config.json} of a DistilBERT or BERT encoder, in one vocabulary: sizes,
 * LayerNorm epsilon, activation, and for {@code BertForSequenceClassification} or {@code
 * DistilBertForSequenceClassification} the number of labels of its classification head. {@link
 * #parameterShapes} lists the weights with the names transformers gives them in {@code
 * model.safetensors}.
 */
public record TransformerConfig(
    String modelType,
    long vocabSize,
    int hidden,
    int layers,
    int heads,
    int intermediate,
    int maxPositions,
    int typeVocabSize,
    double layerNormEps,
    String activation,
    double initializerRange,
    int labels,
    ObjectNode json) {

  public boolean isBert() {
    return modelType.equals("bert");
  }

  /**
   * The state-dict prefix of the encoder inside a model with a head ({@code bert.}, {@code
   * distilbert.}).
   */
  public String headPrefix() {
    return modelType + ".";
  }

  /**
   * The architecture name transformers gives a model of this type with or without a classification
   * head.
   */
  public String architecture() {
    String base = isBert() ? "Bert" : "DistilBert";
    return labels > 0 ? base + "ForSequenceClassification" : base + "Model";
  }

  /**
   * This encoder's config with a one-logit classification head ({@code *ForSequenceClassification},
   * {@code num_labels} 1): a cross-encoder whose score is the raw logit, as sentence-transformers'
   * {@code CrossEncoder} makes one from a bare encoder.
   */
  public TransformerConfig withOneLogitHead() {
    ObjectNode j = json.deepCopy();
    j.putArray("architectures")
        .add(isBert() ? "BertForSequenceClassification" : "DistilBertForSequenceClassification");
    j.putObject("id2label").put("0", "LABEL_0");
    j.putObject("label2id").put("LABEL_0", 0);
    j.remove("num_labels");
    return of(Path.of("config.json"), j);
  }

  public static TransformerConfig read(Path file) {
    JsonNode json;
    try {
      json = Json.PLAIN.readTree(file.toFile());
    } catch (FileNotFoundException e) {
      throw new DatasetFormatException(
          file, 0, "file not found; expected the model's Hugging Face config.json");
    } catch (IOException e) {
      throw new DatasetFormatException(file, 0, "expected a JSON object: " + e.getMessage(), e);
    }
    if (json == null || !json.isObject()) {
      throw new DatasetFormatException(file, 0, "expected a JSON object");
    }
    return of(file, (ObjectNode) json);
  }

  static TransformerConfig of(Path file, ObjectNode json) {
    String type = json.path("model_type").asText("");
    boolean classifier = false;
    for (JsonNode a : json.path("architectures")) {
      classifier |= a.asText().endsWith("ForSequenceClassification");
    }
    int labels =
        classifier
            ? (json.has("id2label")
                ? json.get("id2label").size()
                : json.path("num_labels").asInt(2))
            : 0;
    return switch (type) {
      case "distilbert" ->
          new TransformerConfig(
              type,
              requiredLong(file, json, "vocab_size"),
              requiredInt(file, json, "dim"),
              requiredInt(file, json, "n_layers"),
              requiredInt(file, json, "n_heads"),
              requiredInt(file, json, "hidden_dim"),
              requiredInt(file, json, "max_position_embeddings"),
              0,
              1e-12,
              activation(file, json.path("activation").asText("gelu")),
              json.path("initializer_range").asDouble(0.02),
              labels,
              json);
      case "bert" -> {
        String positions = json.path("position_embedding_type").asText("absolute");
        if (!positions.equals("absolute")) {
          throw new DatasetFormatException(
              file,
              0,
              "position_embedding_type '"
                  + positions
                  + "' is not supported; expected \"absolute\"");
        }
        yield new TransformerConfig(
            type,
            requiredLong(file, json, "vocab_size"),
            requiredInt(file, json, "hidden_size"),
            requiredInt(file, json, "num_hidden_layers"),
            requiredInt(file, json, "num_attention_heads"),
            requiredInt(file, json, "intermediate_size"),
            requiredInt(file, json, "max_position_embeddings"),
            json.path("type_vocab_size").asInt(2),
            json.path("layer_norm_eps").asDouble(1e-12),
            activation(file, json.path("hidden_act").asText("gelu")),
            json.path("initializer_range").asDouble(0.02),
            labels,
            json);
      }
      default ->
          throw new DatasetFormatException(
              file,
              0,
              "model_type '"
                  + type
                  + "' is not supported; expected \"distilbert\" or \"bert\" (encoders with Hugging Face weight names)");
    };
  }

  /**
   * Weight names and shapes as transformers saves them: the encoder's without prefix
   * (DistilBertModel, BertModel), or under {@link #headPrefix()} beside {@code classifier.*} when
   * the model has a classification head. PyTorch's Linear stores [out, in].
   */
  public Map<String, long[]> parameterShapes(boolean pooler) {
    Map<String, long[]> p = new LinkedHashMap<>();
    String prefix = labels > 0 ? headPrefix() : "";
    long h = hidden;
    p.put(prefix + "embeddings.word_embeddings.weight", new long[] {vocabSize, h});
    p.put(prefix + "embeddings.position_embeddings.weight", new long[] {maxPositions, h});
    if (isBert()) {
      p.put(prefix + "embeddings.token_type_embeddings.weight", new long[] {typeVocabSize, h});
    }
    p.put(prefix + "embeddings.LayerNorm.weight", new long[] {h});
    p.put(prefix + "embeddings.LayerNorm.bias", new long[] {h});
    for (int l = 0; l < layers; l++) {
      for (LayerWeights.Linear lin : LayerWeights.of(this, prefix, l).linears()) {
        p.put(lin.name() + ".weight", new long[] {lin.out(), lin.in()});
        p.put(lin.name() + ".bias", new long[] {lin.out()});
      }
      for (String norm : LayerWeights.of(this, prefix, l).norms()) {
        p.put(norm + ".weight", new long[] {h});
        p.put(norm + ".bias", new long[] {h});
      }
    }
    if (isBert() && (pooler || labels > 0)) {
      p.put(prefix + "pooler.dense.weight", new long[] {h, h});
      p.put(prefix + "pooler.dense.bias", new long[] {h});
    }
    if (labels > 0 && !isBert()) {
      // DistilBertForSequenceClassification: a ReLU layer over [CLS] before the classifier.
      p.put("pre_classifier.weight", new long[] {h, h});
      p.put("pre_classifier.bias", new long[] {h});
    }
    if (labels > 0) {
      p.put("classifier.weight", new long[] {labels, h});
      p.put("classifier.bias", new long[] {labels});
    }
    return p;
  }

  /** The weight names of one transformer layer, by role, for either architecture. */
  record LayerWeights(
      String query,
      String key,
      String value,
      String attentionOut,
      String attentionNorm,
      String ffnIn,
      String ffnOut,
      String outputNorm,
      int hidden,
      int intermediate) {
    record Linear(String name, long out, long in) {}

    static LayerWeights of(TransformerConfig c, String prefix, int layer) {
      if (c.isBert()) {
        String b = prefix + "encoder.layer." + layer + ".";
        return new LayerWeights(
            b + "attention.self.query",
            b + "attention.self.key",
            b + "attention.self.value",
            b + "attention.output.dense",
            b + "attention.output.LayerNorm",
            b + "intermediate.dense",
            b + "output.dense",
            b + "output.LayerNorm",
            c.hidden,
            c.intermediate);
      }
      String b = prefix + "transformer.layer." + layer + ".";
      return new LayerWeights(
          b + "attention.q_lin",
          b + "attention.k_lin",
          b + "attention.v_lin",
          b + "attention.out_lin",
          b + "sa_layer_norm",
          b + "ffn.lin1",
          b + "ffn.lin2",
          b + "output_layer_norm",
          c.hidden,
          c.intermediate);
    }

    List<Linear> linears() {
      return List.of(
          new Linear(query, hidden, hidden),
          new Linear(key, hidden, hidden),
          new Linear(value, hidden, hidden),
          new Linear(attentionOut, hidden, hidden),
          new Linear(ffnIn, intermediate, hidden),
          new Linear(ffnOut, hidden, intermediate));
    }

    List<String> norms() {
      return List.of(attentionNorm, outputNorm);
    }
  }

  private static String activation(Path file, String name) {
    return switch (name) {
      case "gelu", "gelu_new", "gelu_pytorch_tanh", "relu" -> name;
      default ->
          throw new DatasetFormatException(
              file,
              0,
              "activation '" + name + "' is not supported; expected gelu, gelu_new or relu");
    };
  }

  private static int requiredInt(Path file, JsonNode json, String field) {
    return Math.toIntExact(requiredLong(file, json, field));
  }

  private static long requiredLong(Path file, JsonNode json, String field) {
    JsonNode v = json.get(field);
    if (v == null || !v.canConvertToLong() || v.asLong() <= 0) {
      throw new DatasetFormatException(file, 0, "expected a positive integer \"" + field + "\"");
    }
    return v.asLong();
  }
}
