package dev.negbench.experiment.sources;

import com.fasterxml.jackson.annotation.JsonTypeName;
import dev.negbench.data.HardNegatives;
import dev.negbench.data.NegativesJsonl;
import dev.negbench.io.AtomicFiles;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;

/**
 * {@code file}: negatives made elsewhere, a negatives JSONL (as the {@code mine-*} and {@code
 * generate} commands write) at {@code path}, relative to the config; every line is validated.
 */
@JsonTypeName("file")
public record FileSource(String name, String path) implements Source {
  @Override
  public FileSource withName(String name) {
    return new FileSource(name, path);
  }

  /** Negatives per query as found in the file; 5 is what the report assumes for sizing. */
  @Override
  public int negativesPerQuery() {
    return 5;
  }

  @Override
  public void check(SourceCheck check) {
    if (path == null) {
      throw check.error("path", "a file source needs the path of a negatives JSONL");
    }
    Path p = check.resolve(path);
    if (!Files.isRegularFile(p)) {
      throw check.error("path", "negatives file " + p + " not found");
    }
  }

  @Override
  public Map<String, Object> inputChecksums(SourceContext context) {
    return Map.of("file", AtomicFiles.sha256(context.resolve(path)));
  }

  @Override
  public void make(SourceContext context, long seed, Path out) {
    List<HardNegatives> rows = NegativesJsonl.read(context.resolve(path)); // validates every line
    NegativesJsonl.write(out.resolve(NEGATIVES), rows);
  }
}
