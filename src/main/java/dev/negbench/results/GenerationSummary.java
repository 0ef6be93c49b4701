package dev.negbench.results;

import dev.negbench.io.Json;
import java.nio.file.Path;

/**
 * {@code generation.json}: what generating one source's negatives took, written by the generation
 * stage into its output folder and copied beside the result. The report's generator comparison is
 * built from these.
 *
 * @param generator generator profile name (e.g. {@code qwen3-14b})
 * @param model the model the endpoint served (e.g. {@code Qwen/Qwen3-14B})
 * @param parametersB model size in billions of parameters (total, for mixture-of-experts)
 * @param device where it ran, e.g. {@code 1x H100 (vLLM)} or {@code simulator}
 * @param gpu key of the config's {@code gpu_prices}, or null
 * @param gpuHourUsd the price used for the cost, US dollars per GPU hour, or null
 * @param simulated true when the timings come from the generation simulator
 * @param seconds wall time of the whole generation
 * @param latencyP50Ms request latency percentiles, milliseconds
 * @param gpuCount GPUs serving the generator (a 30B model may take two); null is one
 */
public record GenerationSummary(
    String generator,
    String model,
    Double parametersB,
    String device,
    String gpu,
    Double gpuHourUsd,
    boolean simulated,
    long queries,
    long negatives,
    long requests,
    long promptTokens,
    long completionTokens,
    double seconds,
    double latencyP50Ms,
    double latencyP90Ms,
    double latencyP99Ms,
    Integer gpuCount) {

  /** Completion tokens per second of wall time. */
  public double tokensPerSecond() {
    return seconds > 0 ? completionTokens / seconds : Double.NaN;
  }

  /** Negatives per second of wall time. */
  public double negativesPerSecond() {
    return seconds > 0 ? negatives / seconds : Double.NaN;
  }

  /** GPUs the cost is charged for: {@code gpuCount}, or one when not given. */
  public int gpus() {
    return gpuCount == null || gpuCount < 1 ? 1 : gpuCount;
  }

  /**
   * GPU time cost of 1,000 negatives at {@code gpuHourUsd} for each of {@link #gpus()}, NaN without
   * a price.
   */
  public double usdPer1000Negatives() {
    if (gpuHourUsd == null || negatives == 0) {
      return Double.NaN;
    }
    return gpuHourUsd * gpus() * seconds / 3600.0 / negatives * 1000.0;
  }

  /**
   * This summary priced: run on {@code gpu} at {@code gpuHourUsd} US dollars per GPU hour (either
   * may be null).
   */
  public GenerationSummary withPrice(String gpu, Double gpuHourUsd) {
    return new GenerationSummary(
        generator,
        model,
        parametersB,
        device,
        gpu,
        gpuHourUsd,
        simulated,
        queries,
        negatives,
        requests,
        promptTokens,
        completionTokens,
        seconds,
        latencyP50Ms,
        latencyP90Ms,
        latencyP99Ms,
        gpuCount);
  }

  public static GenerationSummary read(Path file) {
    return Json.read(file, GenerationSummary.class);
  }

  public void write(Path file) {
    Json.write(file, this);
  }
}
