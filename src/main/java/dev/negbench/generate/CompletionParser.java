package dev.negbench.generate;

import com.fasterxml.jackson.databind.JsonNode;
import dev.negbench.io.Json;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Reads the passages out of a completion: a JSON object with an array ({@code {"passages": [...]}}
 * or any other array field), a bare JSON array, both also inside Markdown code fences, or a plain
 * numbered list ({@code 1. ...}, {@code 2) ...}, {@code Passage 3: ...}). Thinking blocks ({@code
 * <think>...</think>}) are dropped first.
 */
public final class CompletionParser {
  private static final Pattern THINK = Pattern.compile("(?s)<think>.*?</think>");
  private static final Pattern ITEM =
      Pattern.compile("(?im)^\\s*(?:passage\\s*)?\\d{1,3}\\s*[.):]\\s*");

  private CompletionParser() {}

  public static List<String> passages(String content) {
    if (content == null) {
      return List.of();
    }
    String text = THINK.matcher(content).replaceAll("").strip();
    if (text.isEmpty()) {
      return List.of();
    }
    List<String> fromJson = fromJson(text);
    if (fromJson != null) {
      return fromJson;
    }
    return numbered(text);
  }

  private static List<String> fromJson(String text) {
    int obj = text.indexOf('{');
    int arr = text.indexOf('[');
    int start = obj < 0 ? arr : arr < 0 ? obj : Math.min(obj, arr);
    if (start < 0) {
      return null;
    }
    JsonNode root;
    try {
      root = Json.PLAIN.readTree(text.substring(start));
    } catch (IOException e) {
      return null;
    }
    JsonNode array = null;
    if (root != null && root.isArray()) {
      array = root;
    } else if (root != null && root.isObject()) {
      array = root.get("passages");
      if (array == null || !array.isArray()) {
        array = null;
        for (JsonNode v : root) {
          if (v.isArray()) {
            array = v;
            break;
          }
        }
      }
    }
    if (array == null) {
      return null;
    }
    List<String> out = new ArrayList<>();
    for (JsonNode item : array) {
      if (item.isTextual()) {
        out.add(item.asText().strip());
      } else if (item.isObject()) {
        for (String field : List.of("text", "passage", "content")) {
          if (item.path(field).isTextual()) {
            out.add(item.path(field).asText().strip());
            break;
          }
        }
      }
    }
    return out;
  }

  private static List<String> numbered(String text) {
    Matcher m = ITEM.matcher(text);
    List<Integer> starts = new ArrayList<>();
    List<Integer> ends = new ArrayList<>();
    while (m.find()) {
      starts.add(m.start());
      ends.add(m.end());
    }
    List<String> out = new ArrayList<>();
    for (int i = 0; i < starts.size(); i++) {
      int to = i + 1 < starts.size() ? starts.get(i + 1) : text.length();
      String item = text.substring(ends.get(i), to).strip().replaceAll("\\s*\\n\\s*", " ");
      if (!item.isEmpty()) {
        out.add(item);
      }
    }
    return out;
  }
}
