package dev.negbench.model;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.ndarray.types.SparseFormat;
import ai.djl.nn.AbstractBlock;
import ai.djl.nn.Activation;
import ai.djl.nn.Parameter;
import ai.djl.nn.core.Embedding;
import ai.djl.nn.core.Linear;
import ai.djl.nn.norm.LayerNorm;
import ai.djl.training.ParameterStore;
import ai.djl.util.PairList;
import dev.negbench.io.DatasetFormatException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;

/**
 * A DistilBERT or BERT encoder as a DJL block whose parameters carry Hugging Face's names ({@code
 * transformer.layer.0.attention.q_lin.weight}, {@code encoder.layer.0.attention.self.query.weight},
 * ...), so weights load from and save to {@code model.safetensors} by name. DJL's own {@code
 * BertBlock} names and splits its weights differently. The forward pass follows transformers'
 * {@code modeling_distilbert.py} / {@code modeling_bert.py}: embeddings (word + position [+ token
 * type]) and LayerNorm, then post-LayerNorm layers of multi-head self-attention (padding masked
 * out) and a feed-forward network; for BERT optionally the tanh pooler over [CLS] and a linear
 * classification head (BertForSequenceClassification). Dropout is left out: this block trains and
 * infers without it (as sentence-transformers' MNRL runs with the configs' dropout in train mode,
 * our training differs there; the fixtures set dropout 0).
 */
public final class TransformerBlock extends AbstractBlock {
  /** Additive attention mask for padding: exp(-1e9) is 0 in float32 (and -inf in float16). */
  private static final float MASKED = -1e9f;

  private final TransformerConfig config;
  private final boolean pooler;
  private final String prefix;
  private final Map<String, Parameter> byName = new LinkedHashMap<>();
  private final Map<String, long[]> shapes = new LinkedHashMap<>();
  private final List<TransformerConfig.LayerWeights> layers = new ArrayList<>();

  public TransformerBlock(TransformerConfig config, boolean pooler) {
    this.config = config;
    this.pooler = config.isBert() && (pooler || config.labels() > 0);
    this.prefix = config.labels() > 0 ? config.headPrefix() : "";
    for (var e : config.parameterShapes(this.pooler).entrySet()) {
      Parameter p =
          addParameter(
              Parameter.builder()
                  .setName(e.getKey())
                  .setType(
                      e.getKey().endsWith(".bias") ? Parameter.Type.BIAS : Parameter.Type.WEIGHT)
                  .build());
      byName.put(e.getKey(), p);
      shapes.put(e.getKey(), e.getValue());
    }
    for (int l = 0; l < config.layers(); l++) {
      layers.add(TransformerConfig.LayerWeights.of(config, prefix, l));
    }
  }

  public TransformerConfig config() {
    return config;
  }

  /** The weights' data type (float32, or float16 when loaded for GPU encoding). */
  public DataType dataType() {
    return byName.values().iterator().next().getArray().getDataType();
  }

  public boolean hasPooler() {
    return pooler;
  }

  /** Parameters by Hugging Face name, in state-dict order. */
  public Map<String, Parameter> parametersByName() {
    return byName;
  }

  /**
   * Sets every parameter from host tensors, by name, on {@code manager}'s device in {@code
   * dataType} (float32, or float16 for GPU inference), once. A name missing from {@code weights} or
   * a shape that differs is a {@link DatasetFormatException} on {@code source}; extra tensors
   * (buffers such as position_ids, heads we do not run) are ignored.
   */
  public void load(
      Map<String, SafeTensors.Tensor> weights, NDManager manager, DataType dataType, Path source) {
    List<String> missing = new ArrayList<>();
    for (var e : byName.entrySet()) {
      SafeTensors.Tensor t = weights.get(e.getKey());
      if (t == null) {
        missing.add(e.getKey());
        continue;
      }
      long[] want = shapes.get(e.getKey());
      if (!Arrays.equals(want, t.shape())) {
        throw new DatasetFormatException(
            source,
            0,
            "tensor '"
                + e.getKey()
                + "' has shape "
                + Arrays.toString(t.shape())
                + "; expected "
                + Arrays.toString(want)
                + " for this config");
      }
    }
    if (!missing.isEmpty()) {
      throw new DatasetFormatException(
          source,
          0,
          missing.size()
              + " tensors missing for a "
              + config.modelType()
              + " model, e.g. "
              + missing.subList(0, Math.min(5, missing.size()))
              + "; expected Hugging Face names");
    }
    for (var e : byName.entrySet()) {
      SafeTensors.Tensor t = weights.get(e.getKey());
      NDArray array = manager.create(t.data(), new Shape(t.shape()));
      if (dataType != DataType.FLOAT32) {
        NDArray cast = array.toType(dataType, false);
        array.close();
        array = cast;
      }
      e.getValue().setArray(array);
    }
  }

  /**
   * Random weights as transformers initialises them: normal(0, initializer_range) for embeddings
   * and linear weights, zero biases, LayerNorm weight 1 and bias 0 (for benchmarks and for a BERT
   * pooler that an ONNX export dropped).
   */
  public static Map<String, SafeTensors.Tensor> randomWeights(
      TransformerConfig config, boolean pooler, long seed) {
    Random random = new Random(seed);
    Map<String, SafeTensors.Tensor> out = new LinkedHashMap<>();
    for (var e : config.parameterShapes(pooler).entrySet()) {
      out.put(
          e.getKey(), randomTensor(e.getKey(), e.getValue(), config.initializerRange(), random));
    }
    return out;
  }

  static SafeTensors.Tensor randomTensor(String name, long[] shape, double std, Random random) {
    float[] data = new float[Math.toIntExact(SafeTensors.Tensor.numel(shape))];
    boolean norm = name.contains("LayerNorm") || name.contains("layer_norm");
    if (norm && name.endsWith(".weight")) {
      Arrays.fill(data, 1f);
    } else if (!name.endsWith(".bias")) {
      for (int i = 0; i < data.length; i++) {
        data[i] = (float) (random.nextGaussian() * std);
      }
    }
    return new SafeTensors.Tensor(shape, data);
  }

  /** Every parameter copied to host memory as float32, by Hugging Face name. */
  public Map<String, SafeTensors.Tensor> weights() {
    Map<String, SafeTensors.Tensor> out = new LinkedHashMap<>();
    byName.forEach((name, p) -> out.put(name, host(p.getArray())));
    return out;
  }

  /** A copy of an array in host memory as float32. */
  public static SafeTensors.Tensor host(NDArray a) {
    float[] data;
    if (a.getDataType() == DataType.FLOAT32 && a.getDevice().equals(ai.djl.Device.cpu())) {
      data = a.toFloatArray();
    } else {
      try (NDArray c = a.toDevice(ai.djl.Device.cpu(), true).toType(DataType.FLOAT32, true)) {
        data = c.toFloatArray();
      }
    }
    return new SafeTensors.Tensor(a.getShape().getShape(), data);
  }

  private NDArray w(String name) {
    return byName.get(name).getArray();
  }

  /**
   * The last hidden state [batch, tokens, hidden] for int64 {@code ids} and {@code mask} [batch,
   * tokens]; {@code typeIds} are used by BERT (null means all 0).
   */
  public NDArray hidden(NDArray ids, NDArray mask, NDArray typeIds) {
    long batch = ids.getShape().get(0);
    long tokens = ids.getShape().get(1);
    if (tokens > config.maxPositions()) {
      throw new IllegalArgumentException(
          tokens + " tokens exceed the model's " + config.maxPositions() + " position embeddings");
    }
    NDManager m = ids.getManager();
    NDArray positions = m.arange(0, (int) tokens, 1, DataType.INT64);
    NDArray x =
        Embedding.embedding(
                ids, w(prefix + "embeddings.word_embeddings.weight"), SparseFormat.DENSE)
            .singletonOrThrow();
    x =
        x.add(
            Embedding.embedding(
                    positions,
                    w(prefix + "embeddings.position_embeddings.weight"),
                    SparseFormat.DENSE)
                .singletonOrThrow());
    if (config.isBert()) {
      NDArray types = typeIds != null ? typeIds : m.zeros(ids.getShape(), DataType.INT64);
      x =
          x.add(
              Embedding.embedding(
                      types,
                      w(prefix + "embeddings.token_type_embeddings.weight"),
                      SparseFormat.DENSE)
                  .singletonOrThrow());
    }
    x = layerNorm(x, prefix + "embeddings.LayerNorm");
    int heads = config.heads();
    int headDim = config.hidden() / heads;
    NDArray keep =
        mask.toType(
            DataType.FLOAT32, false); // in float32: 0 x 1e9 is NaN in float16, where 1e9 is inf
    NDArray additive =
        keep.sub(Djl.scalar(keep, 1f))
            .mul(Djl.scalar(keep, -MASKED))
            .toType(x.getDataType(), false)
            .reshape(batch, 1, 1, tokens);
    NDArray scale = Djl.scalar(x, (float) (1 / Math.sqrt(headDim)));
    for (TransformerConfig.LayerWeights l : layers) {
      NDArray q = linear(x, l.query()).reshape(batch, tokens, heads, headDim).transpose(0, 2, 1, 3);
      NDArray k = linear(x, l.key()).reshape(batch, tokens, heads, headDim).transpose(0, 2, 3, 1);
      NDArray v = linear(x, l.value()).reshape(batch, tokens, heads, headDim).transpose(0, 2, 1, 3);
      NDArray probs = q.mul(scale).matMul(k).add(additive).softmax(-1);
      NDArray context =
          probs.matMul(v).transpose(0, 2, 1, 3).reshape(batch, tokens, config.hidden());
      x = layerNorm(linear(context, l.attentionOut()).add(x), l.attentionNorm());
      NDArray ffn = linear(activation(linear(x, l.ffnIn())), l.ffnOut());
      x = layerNorm(ffn.add(x), l.outputNorm());
    }
    return x;
  }

  /** BERT's pooler output: tanh(dense(hidden of [CLS])). */
  public NDArray pooled(NDArray hidden) {
    if (!pooler) {
      throw new IllegalStateException("this " + config.modelType() + " model has no pooler");
    }
    return linear(hidden.get(":, 0, :"), prefix + "pooler.dense").tanh();
  }

  /**
   * The classification head's logits [batch, labels]: BertForSequenceClassification's linear layer
   * over the pooler, or DistilBertForSequenceClassification's over ReLU(pre_classifier([CLS])).
   */
  public NDArray logits(NDArray ids, NDArray mask, NDArray typeIds) {
    if (config.labels() == 0) {
      throw new IllegalStateException(
          "this model has no classification head (config.json architectures)");
    }
    NDArray hidden = hidden(ids, mask, typeIds);
    NDArray features =
        config.isBert()
            ? pooled(hidden)
            : Activation.relu(linear(clsPool(hidden), "pre_classifier"));
    return linear(features, "classifier");
  }

  /** Attention-masked mean over tokens, [batch, hidden] (sentence-transformers' mean pooling). */
  public static NDArray meanPool(NDArray hidden, NDArray mask) {
    NDArray m = mask.toType(hidden.getDataType(), false).expandDims(2);
    NDArray count = m.sum(new int[] {1}).clip(1e-9f, Float.MAX_VALUE);
    return hidden.mul(m).sum(new int[] {1}).div(count);
  }

  /** The hidden state of the first token ([CLS]), [batch, hidden]. */
  public static NDArray clsPool(NDArray hidden) {
    return hidden.get(":, 0, :");
  }

  private NDArray linear(NDArray x, String name) {
    return Linear.linear(x, w(name + ".weight"), w(name + ".bias")).singletonOrThrow();
  }

  private NDArray layerNorm(NDArray x, String name) {
    return LayerNorm.layerNorm(
            x,
            new Shape(config.hidden()),
            w(name + ".weight"),
            w(name + ".bias"),
            (float) config.layerNormEps())
        .singletonOrThrow();
  }

  private NDArray activation(NDArray x) {
    return switch (config.activation()) {
      case "relu" -> Activation.relu(x);
      // tanh approximation (transformers' NewGELUActivation)
      case "gelu_new", "gelu_pytorch_tanh" ->
          x.mul(Djl.scalar(x, 0.5f))
              .mul(
                  x.mul(x)
                      .mul(x)
                      .mul(Djl.scalar(x, 0.044715f))
                      .add(x)
                      .mul(Djl.scalar(x, (float) Math.sqrt(2 / Math.PI)))
                      .tanh()
                      .add(Djl.scalar(x, 1f)));
      default -> Activation.gelu(x); // torch.nn.functional.gelu, the exact erf form
    };
  }

  @Override
  protected NDList forwardInternal(
      ParameterStore store, NDList inputs, boolean training, PairList<String, Object> params) {
    return new NDList(
        hidden(inputs.get(0), inputs.get(1), inputs.size() > 2 ? inputs.get(2) : null));
  }

  @Override
  public Shape[] getOutputShapes(Shape[] inputShapes) {
    return new Shape[] {new Shape(inputShapes[0].get(0), inputShapes[0].get(1), config.hidden())};
  }
}
