package dev.negbench.experiment.sources;

import dev.negbench.io.DatasetFormatException;
import dev.negbench.model.Device;
import dev.negbench.model.Quantization;
import java.nio.file.Path;
import java.util.Map;

/**
 * How a {@link Source} checks its config fields: errors name the config file, the field's line and
 * the field ({@code sources[2].model}).
 */
public interface SourceCheck {
  /** An error about {@code field} of this source ({@code "model"}, {@code "parts/1/from"}). */
  DatasetFormatException error(String field, String message);

  /** A path written in the config, resolved against the config's folder. */
  Path resolve(String path);

  /** The config's US dollars per GPU hour, by GPU name. */
  Map<String, Double> gpuPrices();

  /** Another source of the config by name, or null. */
  Source source(String name);

  default void positive(String field, Integer value) {
    if (value != null && value < 1) {
      throw error(field, "expected a whole number >= 1, was " + value);
    }
  }

  /**
   * A model folder relative to the config, or a built-in name. {@code optional}: null is fine (the
   * source defaults to the built-in bi-encoder); else {@code missing} says what is expected.
   */
  void model(String field, String model, boolean optional, String missing);

  /** A device name: {@code cpu}, {@code cuda} or {@code cuda:N}, or null for the experiment's. */
  default void device(String field, String device) {
    if (device != null) {
      try {
        Device.parse(device);
      } catch (IllegalArgumentException e) {
        throw error(field, e.getMessage());
      }
    }
  }

  /** A model quantization: {@code none}, {@code int8}, or null for none. */
  default void quantize(String field, String quantize) {
    if (quantize != null) {
      try {
        Quantization.parse(quantize);
      } catch (IllegalArgumentException e) {
        throw error(field, "expected 'none' or 'int8', found '" + quantize + "'");
      }
    }
  }

  static String quote(String s) {
    return s == null ? "nothing" : "'" + s + "'";
  }
}
