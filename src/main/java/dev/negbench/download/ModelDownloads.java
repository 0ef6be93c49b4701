package dev.negbench.download;

import dev.negbench.io.Progress;
import java.util.OptionalLong;

/**
 * The model side of {@code negbench download --config}: sizes and fetches the Hugging Face models a
 * config names into the local Hugging Face cache, where {@code ModelResolver} finds them. The
 * command line holds one; {@link #byHand()} is the one used until negbench fetches models itself,
 * and a fetcher of the hub's files replaces it by implementing this interface.
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

  /**
   * No fetcher: sizes are unknown, and fetching fails naming the command that fetches the model
   * ({@code huggingface-cli download}), as a config check does.
   */
  static ModelDownloads byHand() {
    return new ModelDownloads() {
      @Override
      public OptionalLong size(String model) {
        return OptionalLong.empty();
      }

      @Override
      public void fetch(String model, Progress.Factory progress) {
        throw new IllegalArgumentException(
            "negbench does not fetch models in this build: run `huggingface-cli download "
                + model
                + "`, then the same command again");
      }
    };
  }
}
