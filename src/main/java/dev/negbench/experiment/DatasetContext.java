package dev.negbench.experiment;

import dev.negbench.data.BeirDataset;
import dev.negbench.data.Qrels;
import dev.negbench.data.Query;
import dev.negbench.experiment.sources.Source;
import dev.negbench.experiment.sources.SourceContext;
import dev.negbench.io.Progress;
import dev.negbench.mine.Bm25Index;
import dev.negbench.mine.DenseEmbeddings;
import dev.negbench.model.TextEncoder;
import dev.negbench.results.NegativesCost;
import java.nio.file.Path;
import java.util.Map;

/**
 * What the sources of an experiment work with on one dataset ({@link SourceContext}): its training
 * split, its shared inputs, other sources' negatives, and the experiment's models, paths, threads
 * and progress bars.
 */
final class DatasetContext implements SourceContext {
  private final Pipeline p;
  private final DatasetInputs inputs;
  private final SharedInputs shared;
  private final NegativesCostMeter meter;
  private final NegativesStages negatives;

  DatasetContext(
      Pipeline pipeline,
      DatasetInputs inputs,
      SharedInputs shared,
      NegativesCostMeter meter,
      NegativesStages negatives) {
    this.p = pipeline;
    this.inputs = inputs;
    this.shared = shared;
    this.meter = meter;
    this.negatives = negatives;
  }

  @Override
  public BeirDataset dataset() {
    return inputs.dataset();
  }

  @Override
  public String split() {
    return p.config.trainingSplit();
  }

  @Override
  public Qrels qrels() {
    return inputs.dataset().qrels(split());
  }

  @Override
  public Map<String, Query> queries() {
    return inputs.queries();
  }

  @Override
  public Bm25Index bm25() {
    return shared.bm25();
  }

  @Override
  public DenseEmbeddings embeddings(String model, int maxLength, String device) {
    return shared.embeddings(model, maxLength, device);
  }

  @Override
  public void charge(
      String key,
      String what,
      double seconds,
      String device,
      Map<String, Long> work,
      double secondsNow) {
    meter.charge(
        key,
        () -> new NegativesCost.Part(what, seconds, device, meter.cpuPrice(device), 1, work),
        secondsNow);
  }

  @Override
  public TextEncoder encoder(String model, int maxLength, int batchSize, String device) {
    return p.encoder(model, maxLength, batchSize, device);
  }

  @Override
  public String device(String own) {
    return own != null ? own : p.config.device();
  }

  @Override
  public Path negatives(String source, long seed) {
    return negatives.stage(p.loaded.source(source), seed, this).dir().resolve(Source.NEGATIVES);
  }

  @Override
  public String model(String reference) {
    return p.modelRef(reference);
  }

  @Override
  public String modelChecksum(String model) {
    return p.modelChecksum(model);
  }

  @Override
  public Path resolve(String path) {
    return p.loaded.resolve(path);
  }

  @Override
  public Path work() {
    return p.work;
  }

  @Override
  public int threads() {
    return p.threads;
  }

  @Override
  public Progress.Factory progress() {
    return p.progress;
  }
}
