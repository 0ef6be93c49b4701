package dev.negbench.io;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.json.JsonReadFeature;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.ObjectReader;
import com.fasterxml.jackson.databind.PropertyNamingStrategies;
import com.fasterxml.jackson.databind.SerializationFeature;
import java.io.IOException;
import java.nio.file.Path;

/**
 * The project's one configured Jackson mapper and the variants derived from it. {@link #PLAIN} is
 * Jackson's defaults (compact output, camelCase fields): JSON lines, model and tokenizer files,
 * manifests. {@link #MAPPER} is for the JSON files of the results store and summaries: snake_case
 * fields, sorted maps, indented, unknown fields ignored; {@link #write} writes them atomically.
 * {@link #copyWith} gives the same settings over another format (YAML configs). {@link
 * #PYTHON_READER} reads what Python's {@code json} writes, for files other tools made.
 */
public final class Json {
  /** Jackson's defaults; every other mapper is a copy of this one. */
  public static final ObjectMapper PLAIN = new ObjectMapper();

  /**
   * The results store's JSON: snake_case fields, sorted map keys, indented, unknown fields ignored.
   */
  public static final ObjectMapper MAPPER =
      PLAIN
          .copy()
          .setPropertyNamingStrategy(PropertyNamingStrategies.SNAKE_CASE)
          .enable(SerializationFeature.ORDER_MAP_ENTRIES_BY_KEYS)
          .enable(SerializationFeature.INDENT_OUTPUT)
          .disable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES);

  /**
   * {@link #PLAIN} reading JSON as Python's {@code json} writes it by default ({@code
   * allow_nan=True}, which pandas relies on): {@code NaN}, {@code Infinity} and {@code -Infinity}
   * as numbers. Only for files other tools write (BEIR's JSON lines, through {@link
   * JsonLines#forEachObjectAllowingNaN}); negbench's own formats stay strict JSON.
   */
  public static final ObjectReader PYTHON_READER =
      PLAIN.reader().with(JsonReadFeature.ALLOW_NON_NUMERIC_NUMBERS);

  private Json() {}

  /** {@link #PLAIN}'s settings over another format, e.g. {@code new YAMLFactory()}. */
  public static ObjectMapper copyWith(JsonFactory factory) {
    return PLAIN.copyWith(factory);
  }

  /**
   * Writes {@code value} atomically as indented JSON and a line break: the results store's files,
   * summaries, index and cache manifests. A tree ({@code ObjectNode}) keeps its own field names and
   * order, so it comes out as Jackson's default pretty print.
   */
  public static void write(Path file, Object value) {
    try {
      AtomicFiles.writeString(file, MAPPER.writeValueAsString(value) + "\n");
    } catch (JsonProcessingException e) {
      throw new IllegalStateException("cannot serialise " + value, e);
    }
  }

  public static <T> T read(Path file, Class<T> type) {
    try {
      return MAPPER.readValue(file.toFile(), type);
    } catch (JsonProcessingException e) {
      long line = e.getLocation() == null ? 0 : e.getLocation().getLineNr();
      throw new DatasetFormatException(
          file,
          line,
          "expected a " + type.getSimpleName() + " JSON object: " + e.getOriginalMessage());
    } catch (IOException e) {
      throw new DatasetFormatException(file, 0, "cannot read: " + e.getMessage());
    }
  }
}
