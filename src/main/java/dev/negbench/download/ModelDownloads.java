package dev.negbench.download;

import dev.negbench.io.Progress;
import java.util.OptionalLong;

/**
 * The model side of {@code negbench download --config}: sizes and fetches the Hugging Face models a
 * config names into the local Hugging Face cache, where {@code ModelResolver} finds them. The
 * command line holds {@link HubModelDownloads}; a test may hold another.
 */
public interface ModelDownloads {
  /** The bytes {@code model}'s files take, when known before fetching it. */
  OptionalLong size(String model);

  /**
   * Fetches {@code model} (a Hugging Face name, {@code ORG/NAME} or {@code NAME}) into the local
   * Hugging Face cache.
   *
   * @throws IllegalArgumentException when it cannot be fetched, saying how to get it
   */
  void fetch(String model, Progress.Factory progress);
}
