package dev.negbench.experiment;

import dev.negbench.results.GenerationSummary;
import dev.negbench.data.BeirDataset;
import dev.negbench.io.Progress;
import java.io.IOException;
import java.nio.file.Path;

/**
 * Makes the negatives of one source for one dataset and seed: the seam where a negative source the
 * report package does not build itself (LLM generation, issue 4) plugs into {@link Pipeline}.
 *
 * <p>Contract: write {@code out/negatives.jsonl} (the negatives JSONL of {@code
 * dev.negbench.data.NegativesJsonl}, one row per query of {@code split} with a positive, generated
 * passages inline with ids {@code gen:<qid>:<n>}), and for generated negatives {@code
 * out/generation.json} in the shape of {@link GenerationSummary}. {@code out} is an empty
 * temporary folder of the stage cache; throw to fail the stage, nothing is kept.
 */
@FunctionalInterface
public interface NegativeStage {
  void make(BeirDataset dataset, String split, SourceSpec source, long seed, Path out, Progress.Factory progress) throws IOException;

  /** The file a stage writes its negatives to, inside {@code out}. */
  String NEGATIVES = "negatives.jsonl";

  /** The generation summary a generating stage writes beside its negatives. */
  String GENERATION = "generation.json";
}
