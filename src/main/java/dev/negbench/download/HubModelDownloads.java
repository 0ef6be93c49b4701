package dev.negbench.download;

import dev.negbench.io.Progress;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.util.List;
import java.util.OptionalLong;

/**
 * The model side of {@code negbench download --config}, on {@link ModelDownload}: a model's size is
 * the sum of the files {@code download model} would take at {@code main} (one listing request), and
 * fetching it is {@code download model NAME} with the default file selection.
 */
public final class HubModelDownloads implements ModelDownloads {
  private static final String REVISION = "main";

  private final Path cache;
  private final String endpoint;
  private final String token;

  /**
   * @param cache the hub cache folder ({@code models--ORG--NAME/} inside)
   * @param endpoint the hub's base URL
   * @param token {@code HF_TOKEN}, or null
   */
  public HubModelDownloads(Path cache, String endpoint, String token) {
    this.cache = cache;
    this.endpoint = endpoint;
    this.token = token;
  }

  /** Empty when the hub cannot be asked (down, or the model gated without a token). */
  @Override
  public OptionalLong size(String model) {
    try {
      List<HubFile> files =
          new ModelDownload(cache, endpoint, token, Progress.Factory.NONE)
              .plan(model, REVISION, List.of());
      return OptionalLong.of(files.stream().mapToLong(f -> Math.max(0, f.size())).sum());
    } catch (IllegalArgumentException | UncheckedIOException e) {
      return OptionalLong.empty();
    }
  }

  @Override
  public void fetch(String model, Progress.Factory progress) {
    new ModelDownload(cache, endpoint, token, progress).download(model, REVISION, List.of());
  }
}
