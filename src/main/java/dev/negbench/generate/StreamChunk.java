package dev.negbench.generate;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.databind.JsonNode;
import dev.negbench.io.Json;
import java.io.IOException;

/**
 * The fields of one streamed chunk that the client needs, read with Jackson's streaming parser (a
 * tree per chunk cost a third of the client's throughput): {@code model}, {@code usage}, {@code
 * error}, and of {@code choices[0]}: {@code delta.content}, {@code delta.reasoning_content}, {@code
 * finish_reason}.
 */
final class StreamChunk {
  String model;
  JsonNode usage;
  JsonNode error;
  String content = "";

  /** Whether {@code delta.reasoning_content} carried text (Qwen3's and DeepSeek-R1's thinking). */
  boolean reasoning;

  String finish;

  /** Reads one chunk's {@code data}; throws when it is not one JSON object. */
  static StreamChunk parse(String json) throws IOException {
    StreamChunk c = new StreamChunk();
    c.read(json);
    return c;
  }

  private void read(String json) throws IOException {
    try (JsonParser p = Json.PLAIN.getFactory().createParser(json)) {
      if (p.nextToken() != JsonToken.START_OBJECT) {
        throw new IOException("expected a JSON object");
      }
      while (p.nextToken() == JsonToken.FIELD_NAME) {
        String name = p.currentName();
        JsonToken v = p.nextToken();
        switch (name) {
          case "model" -> model = v == JsonToken.VALUE_STRING ? p.getText() : null;
          case "usage" -> usage = v == JsonToken.START_OBJECT ? Json.PLAIN.readTree(p) : null;
          case "error" -> error = Json.PLAIN.readTree(p);
          case "choices" -> {
            if (v != JsonToken.START_ARRAY) {
              p.skipChildren();
              break;
            }
            boolean first = true;
            while (p.nextToken() != JsonToken.END_ARRAY) {
              if (first && p.currentToken() == JsonToken.START_OBJECT) {
                choice(p);
              } else {
                p.skipChildren();
              }
              first = false;
            }
          }
          default -> p.skipChildren();
        }
      }
      if (p.currentToken() != JsonToken.END_OBJECT || p.nextToken() != null) {
        throw new IOException("expected one JSON object");
      }
    }
  }

  private void choice(JsonParser p) throws IOException {
    while (p.nextToken() == JsonToken.FIELD_NAME) {
      String name = p.currentName();
      JsonToken v = p.nextToken();
      if (name.equals("finish_reason")) {
        finish = v == JsonToken.VALUE_STRING ? p.getText() : null;
      } else if (name.equals("delta") && v == JsonToken.START_OBJECT) {
        while (p.nextToken() == JsonToken.FIELD_NAME) {
          String field = p.currentName();
          JsonToken dv = p.nextToken();
          if (field.equals("content") && dv == JsonToken.VALUE_STRING) {
            content = p.getText();
          } else if (field.equals("reasoning_content") && dv == JsonToken.VALUE_STRING) {
            reasoning |= !p.getText().isEmpty();
          } else {
            p.skipChildren();
          }
        }
      } else {
        p.skipChildren();
      }
    }
  }
}
