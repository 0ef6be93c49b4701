package dev.negbench.experiment;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import java.io.IOException;
import java.util.HashMap;
import java.util.Map;

/**
 * The line of every field and list element of a config, by JSON pointer ({@code /sources/1/type}).
 */
record ConfigLines(Map<String, Integer> byPointer) {
  static ConfigLines of(JsonFactory factory, String text) throws IOException {
    Map<String, Integer> map = new HashMap<>();
    try (JsonParser p = factory.createParser(text)) {
      JsonToken t;
      while ((t = p.nextToken()) != null) {
        String pointer =
            t == JsonToken.START_OBJECT || t == JsonToken.START_ARRAY
                ? p.getParsingContext().getParent() == null
                    ? ""
                    : p.getParsingContext().getParent().pathAsPointer().toString()
                : p.getParsingContext().pathAsPointer().toString();
        map.putIfAbsent(pointer, p.currentTokenLocation().getLineNr());
      }
    }
    return new ConfigLines(map);
  }

  /** The line of {@code pointer}, else of its closest enclosing element, else 0. */
  long of(String pointer) {
    String p = pointer;
    while (true) {
      Integer line = byPointer.get(p);
      if (line != null) {
        return line;
      }
      if (p.isEmpty()) {
        return 0;
      }
      p = p.substring(0, p.lastIndexOf('/'));
    }
  }
}
