package dev.negbench.experiment.sources;

import com.fasterxml.jackson.annotation.JsonTypeName;
import dev.negbench.mine.Bm25Miner;
import dev.negbench.mine.Bm25Searcher;
import java.nio.file.Path;
import java.util.List;

/** {@code bm25}: BM25 hard negatives, as {@code negbench mine-bm25} mines them. */
@JsonTypeName("bm25")
public record Bm25Source(
    String name, Integer numNegatives, Integer rangeMin, Integer rangeMax, String sampling)
    implements MinedSource {
  @Override
  public Bm25Source withName(String name) {
    return new Bm25Source(name, numNegatives, rangeMin, rangeMax, sampling);
  }

  @Override
  public List<Work> work(Work.Sizes sizes, String experimentDevice) {
    return List.of(
        new Work("mine", name, sizes.trainQueries(), Work.Kind.BM25_QUERIES, "cpu", null));
  }

  @Override
  public void make(SourceContext context, long seed, Path out) {
    context.mine(
        new Bm25Miner(new Bm25Searcher(context.bm25()), settings(seed)), negativesPerQuery(), out);
  }
}
