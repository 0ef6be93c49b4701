package dev.negbench.results;

import dev.negbench.io.Json;
import java.nio.file.Path;

/**
 * {@code hardness.json}: how hard one source's negatives are, as means over all analysed negatives
 * against each query's first positive (written by the hardness analysis beside the result; the
 * report's hardness table is built from these). Cross-encoder fields are null without a
 * cross-encoder.
 */
public record HardnessSummary(
    String source,
    int queries,
    long negatives,
    double cosineToQuery,
    double cosineToPositive,
    double positiveCosineToQuery,
    double shareCloserThanPositive,
    double bm25Ratio,
    double shareBm25AbovePositive,
    Double crossEncoderScore,
    Double shareCrossEncoderAbovePositive,
    double jaccardWithPositive,
    double negativeTokens,
    double positiveTokens) {

  public static HardnessSummary read(Path file) {
    return Json.read(file, HardnessSummary.class);
  }

  public void write(Path file) {
    Json.write(file, this);
  }
}
