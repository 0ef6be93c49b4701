package dev.negbench.report;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.PropertyNamingStrategies;
import com.fasterxml.jackson.databind.SerializationFeature;
import dev.negbench.data.AtomicFiles;
import dev.negbench.data.DatasetFormatException;
import java.io.IOException;
import java.nio.file.Path;

/** JSON files of the results store: snake_case fields, sorted maps, written atomically. */
final class Json {
  static final ObjectMapper MAPPER =
      new ObjectMapper()
          .setPropertyNamingStrategy(PropertyNamingStrategies.SNAKE_CASE)
          .enable(SerializationFeature.ORDER_MAP_ENTRIES_BY_KEYS)
          .enable(SerializationFeature.INDENT_OUTPUT)
          .disable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES);

  private Json() {}

  static void write(Path file, Object value) {
    try {
      AtomicFiles.writeString(file, MAPPER.writeValueAsString(value) + "\n");
    } catch (JsonProcessingException e) {
      throw new IllegalStateException("cannot serialise " + value, e);
    }
  }

  static <T> T read(Path file, Class<T> type) {
    try {
      return MAPPER.readValue(file.toFile(), type);
    } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
      long line = e.getLocation() == null ? 0 : e.getLocation().getLineNr();
      throw new DatasetFormatException(file, line, "expected a " + type.getSimpleName() + " JSON object: " + e.getOriginalMessage());
    } catch (IOException e) {
      throw new DatasetFormatException(file, 0, "cannot read: " + e.getMessage());
    }
  }
}
