package dev.negbench.generate;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.negbench.io.Json;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Locale;
import java.util.Set;

/**
 * A generator: the model an OpenAI-compatible server serves, how to sample from it, per-model
 * request settings, and what its GPUs cost. Read from a JSON file (see {@code configs/generators/})
 * or made from a bare model name with the paper's defaults.
 *
 * @param name short label used in outputs and tables (e.g. {@code qwen3-8b})
 * @param model the {@code model} field sent to the server (e.g. {@code Qwen/Qwen3-8B})
 * @param paramsBillions parameter count in billions, the "size" in comparisons (0 when unknown)
 * @param sampling sampling parameters sent with every request
 * @param extraBody fields merged into every request body as they are (e.g. Qwen3's {@code
 *     chat_template_kwargs: {enable_thinking: false}})
 * @param jsonResponse whether to ask for {@code response_format: {type: json_object}}
 * @param stream whether to stream (SSE); TTFT and inter-token latencies need it
 * @param apiKeyEnv name of the environment variable holding the API key (its value is never logged
 *     or written); null for none
 * @param tokenizer a Hugging Face {@code tokenizer.json} to count tokens when the server omits
 *     {@code usage}; null to count streamed chunks instead
 * @param promptTemplate a template file; null for the built-in default
 * @param numNegatives passages asked for per query ({{n}} in the template)
 * @param requestTimeoutSeconds limit on one whole request (headers and body)
 * @param maxAttempts attempts per query before it is recorded as failed
 * @param cost the GPU cost model
 * @param validation bounds that each generated passage must meet
 */
public record GeneratorProfile(
    String name,
    String model,
    double paramsBillions,
    Sampling sampling,
    ObjectNode extraBody,
    boolean jsonResponse,
    boolean stream,
    String apiKeyEnv,
    Path tokenizer,
    Path promptTemplate,
    int numNegatives,
    double requestTimeoutSeconds,
    int maxAttempts,
    Cost cost,
    Validation validation) {

  /**
   * Sampling parameters; a null field is not sent. Defaults are the paper's vLLM settings (arXiv
   * 2504.21015): temperature 0.6, top_p 0.95, top_k 20, min_p 0, max_tokens 1024.
   */
  public record Sampling(
      Double temperature, Double topP, Long topK, Double minP, long maxTokens, Long seed) {
    public static Sampling paper() {
      return new Sampling(0.6, 0.95, 20L, 0.0, 1024, null);
    }
  }

  /** What serving the generator costs: GPU type, how many, and the price of one GPU-hour. */
  public record Cost(String gpuType, int gpuCount, double usdPerGpuHour) {
    public static Cost unknown() {
      return new Cost("unknown", 1, 0.0);
    }
  }

  /**
   * Bounds on a generated passage: at least {@code minChars} characters and between {@code
   * minLengthRatio} and {@code maxLengthRatio} times the positive's length.
   */
  public record Validation(int minChars, double minLengthRatio, double maxLengthRatio) {
    public static Validation defaults() {
      return new Validation(40, 0.2, 4.0);
    }
  }

  public static final String DEFAULT_API_KEY_ENV = "NEGBENCH_API_KEY";

  /** A profile of defaults for a bare model name: the paper's sampling, streaming, JSON output. */
  public static GeneratorProfile forModel(String model) {
    if (model == null || model.isBlank()) {
      throw new IllegalArgumentException("a generator needs a model name or a profile file");
    }
    return new GeneratorProfile(
        shortName(model),
        model,
        0,
        Sampling.paper(),
        Json.PLAIN.createObjectNode(),
        true,
        true,
        DEFAULT_API_KEY_ENV,
        null,
        null,
        3,
        300,
        4,
        Cost.unknown(),
        Validation.defaults());
  }

  /**
   * A profile file when {@code pathOrModel} names one (an existing file, or anything ending in
   * {@code .json}, which must then exist), else a profile of defaults for that model name.
   */
  public static GeneratorProfile resolve(String pathOrModel) {
    Path p = Path.of(pathOrModel);
    if (pathOrModel.endsWith(".json") || Files.isRegularFile(p)) {
      return load(p);
    }
    return forModel(pathOrModel);
  }

  private static final Set<String> FIELDS =
      Set.of(
          "name",
          "model",
          "params_b",
          "sampling",
          "extra_body",
          "response_format",
          "stream",
          "api_key_env",
          "tokenizer",
          "prompt_template",
          "num_negatives",
          "request_timeout_s",
          "max_attempts",
          "cost",
          "validation",
          "description");
  private static final Set<String> SAMPLING_FIELDS =
      Set.of("temperature", "top_p", "top_k", "min_p", "max_tokens", "seed");
  private static final Set<String> COST_FIELDS =
      Set.of("gpu_type", "gpu_count", "usd_per_gpu_hour");
  private static final Set<String> VALIDATION_FIELDS =
      Set.of("min_chars", "min_length_ratio", "max_length_ratio");

  /** Reads a profile file; errors name the file and the field. */
  public static GeneratorProfile load(Path file) {
    JsonFields f = new JsonFields(file);
    ObjectNode root = f.readObject();
    f.onlyKnown(root, "", FIELDS);
    String model = f.string(root, "", "model", null);
    if (model == null || model.isBlank()) {
      throw f.error("model", "required: the model name the server serves, e.g. \"Qwen/Qwen3-8B\"");
    }
    String name = f.string(root, "", "name", shortName(model));
    JsonNode s = f.object(root, "", "sampling");
    f.onlyKnown(s, "sampling.", SAMPLING_FIELDS);
    Sampling paper = Sampling.paper();
    Sampling sampling =
        new Sampling(
            f.number(s, "sampling.", "temperature", paper.temperature(), 0, 5),
            f.number(s, "sampling.", "top_p", paper.topP(), 0, 1),
            f.integer(s, "sampling.", "top_k", paper.topK(), -1, 1_000_000),
            f.number(s, "sampling.", "min_p", paper.minP(), 0, 1),
            f.integer(s, "sampling.", "max_tokens", (int) paper.maxTokens(), 1, 1 << 20),
            f.integer(s, "sampling.", "seed", (Long) null, Long.MIN_VALUE, Long.MAX_VALUE));
    JsonNode extra = f.object(root, "", "extra_body");
    String format = f.string(root, "", "response_format", "json_object");
    if (!format.equals("json_object") && !format.equals("none")) {
      throw f.error(
          "response_format", "expected \"json_object\" or \"none\", found \"" + format + "\"");
    }
    JsonNode c = f.object(root, "", "cost");
    f.onlyKnown(c, "cost.", COST_FIELDS);
    Cost cost =
        new Cost(
            f.string(c, "cost.", "gpu_type", "unknown"),
            f.integer(c, "cost.", "gpu_count", 1, 1, 1024),
            f.number(c, "cost.", "usd_per_gpu_hour", 0.0, 0, 1000));
    JsonNode v = f.object(root, "", "validation");
    f.onlyKnown(v, "validation.", VALIDATION_FIELDS);
    Validation d = Validation.defaults();
    Validation validation =
        new Validation(
            f.integer(v, "validation.", "min_chars", d.minChars(), 1, 1 << 20),
            f.number(v, "validation.", "min_length_ratio", d.minLengthRatio(), 0, 100),
            f.number(v, "validation.", "max_length_ratio", d.maxLengthRatio(), 0, 100));
    if (validation.minLengthRatio() > validation.maxLengthRatio()) {
      throw f.error("validation.min_length_ratio", "expected at most validation.max_length_ratio");
    }
    Path template = f.path(root, "", "prompt_template");
    if (template != null && !Files.isRegularFile(template)) {
      throw f.error("prompt_template", "file not found: " + template);
    }
    Path tokenizer = f.path(root, "", "tokenizer");
    if (tokenizer != null && !Files.isRegularFile(tokenizer)) {
      throw f.error("tokenizer", "file not found: " + tokenizer);
    }
    return new GeneratorProfile(
        name,
        model,
        f.number(root, "", "params_b", 0.0, 0, 100_000),
        sampling,
        ((ObjectNode) extra).deepCopy(),
        format.equals("json_object"),
        f.bool(root, "", "stream", true),
        f.string(root, "", "api_key_env", DEFAULT_API_KEY_ENV),
        tokenizer,
        template,
        f.integer(root, "", "num_negatives", 3, 1, 100),
        f.number(root, "", "request_timeout_s", 300.0, 0.001, 86_400),
        f.integer(root, "", "max_attempts", 4, 1, 100),
        cost,
        validation);
  }

  /** The settings that change what the server generates, for cache keys: not cost or timeouts. */
  ObjectNode generationParameters() {
    ObjectNode p = Json.PLAIN.createObjectNode();
    p.put("model", model);
    ChatRequestBody.putSampling(p, sampling);
    p.set("extra_body", extraBody);
    p.put("json", jsonResponse);
    p.put("num_negatives", numNegatives);
    return p;
  }

  /** A copy asking for a different number of passages. */
  public GeneratorProfile withNumNegatives(int n) {
    return new GeneratorProfile(
        name,
        model,
        paramsBillions,
        sampling,
        extraBody,
        jsonResponse,
        stream,
        apiKeyEnv,
        tokenizer,
        promptTemplate,
        n,
        requestTimeoutSeconds,
        maxAttempts,
        cost,
        validation);
  }

  /** A copy whose requests carry the sampling seed {@code seed} (null: none). */
  public GeneratorProfile withSamplingSeed(Long seed) {
    return new GeneratorProfile(
        name,
        model,
        paramsBillions,
        new Sampling(
            sampling.temperature(),
            sampling.topP(),
            sampling.topK(),
            sampling.minP(),
            sampling.maxTokens(),
            seed),
        extraBody,
        jsonResponse,
        stream,
        apiKeyEnv,
        tokenizer,
        promptTemplate,
        numNegatives,
        requestTimeoutSeconds,
        maxAttempts,
        cost,
        validation);
  }

  /** A copy with streaming on or off. */
  public GeneratorProfile withStream(boolean on) {
    return new GeneratorProfile(
        name,
        model,
        paramsBillions,
        sampling,
        extraBody,
        jsonResponse,
        on,
        apiKeyEnv,
        tokenizer,
        promptTemplate,
        numNegatives,
        requestTimeoutSeconds,
        maxAttempts,
        cost,
        validation);
  }

  private static String shortName(String model) {
    String s = model.substring(model.lastIndexOf('/') + 1).toLowerCase(Locale.ROOT);
    return s.isEmpty() ? model : s;
  }
}
