package dev.negbench.experiment;

import dev.negbench.experiment.sources.Source;
import dev.negbench.experiment.sources.SourceContext;
import dev.negbench.io.Json;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * The {@code negatives} stages of one dataset: each source's negatives of its training split, keyed
 * by the dataset's files, the source's settings and the negatives it reads, looked up once a seed
 * (once for all seeds by a source that does not depend on the seed), and metered when made.
 */
final class NegativesStages {
  private final Pipeline p;
  private final DatasetInputs inputs;
  private final NegativesCostMeter meter;
  private final Map<String, StageCache.Entry> done = new HashMap<>();

  NegativesStages(Pipeline pipeline, DatasetInputs inputs, NegativesCostMeter meter) {
    this.p = pipeline;
    this.inputs = inputs;
    this.meter = meter;
  }

  /**
   * The negatives of a source, made with {@code context} unless the stage cache holds them;
   * seed-independent sources share one stage across seeds.
   */
  StageCache.Entry stage(Source source, long seed, SourceContext context) {
    boolean perSeed = seedDependent(source);
    String memo = source.name() + "@" + (perSeed ? seed : "any");
    StageCache.Entry made = done.get(memo);
    if (made != null) {
      return made;
    }
    Map<String, Object> key = new TreeMap<>();
    key.put("corpus", inputs.checksum("corpus"));
    key.put("queries", inputs.checksum("queries"));
    key.put("qrels", inputs.checksum("train_qrels"));
    key.put("split", p.config.trainingSplit());
    key.put("source", sourceKey(source));
    if (perSeed) {
      key.put("seed", seed);
    }
    Map<String, Path> parts = new LinkedHashMap<>();
    if (!source.inputs().isEmpty()) {
      List<String> hashes = new ArrayList<>();
      for (String input : source.inputs()) {
        StageCache.Entry part = stage(p.loaded.source(input), seed, context);
        parts.put(input, part.dir());
        hashes.add(part.hash());
      }
      key.put("parts", hashes);
    }
    key.putAll(source.inputChecksums(context));
    StageCache.Entry e =
        p.stage(
            "negatives",
            inputs.name() + "/" + source.name() + (perSeed ? "/seed-" + seed : ""),
            key,
            out -> meter.meter(source, out, parts, o -> source.make(context, seed, o)),
            new double[1]);
    done.put(memo, e);
    return e;
  }

  /** A source that reads others (a mix) depends on the seed when one of them does. */
  private boolean seedDependent(Source s) {
    return s.seedDependent()
        || s.inputs().stream().anyMatch(i -> seedDependent(p.loaded.source(i)));
  }

  /**
   * The source's config fields and type, without its name: renaming a source does not change its
   * negatives.
   */
  static Map<String, Object> sourceKey(Source s) {
    Map<String, Object> m =
        Json.MAPPER.convertValue(
            s,
            Json.MAPPER
                .getTypeFactory()
                .constructMapType(TreeMap.class, String.class, Object.class));
    m.values().removeIf(v -> v == null);
    m.remove("name");
    m.put("type", s.type());
    return m;
  }
}
