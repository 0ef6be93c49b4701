package dev.negbench.experiment.sources;

import com.fasterxml.jackson.annotation.JsonTypeName;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.jsontype.NamedType;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;

/**
 * The source types an experiment config may name: each a {@link Source} class carrying its config
 * name in {@link JsonTypeName}. The built-in types come first, in the order the report lists them;
 * {@link #register} adds one (a plugin or a test).
 */
public final class SourceTypes {
  private static final Map<String, Class<? extends Source>> TYPES = new LinkedHashMap<>();

  static {
    for (Class<? extends Source> c :
        List.of(
            Bm25Source.class,
            CrossEncoderSource.class,
            DenseSource.class,
            LlmSource.class,
            FileSource.class,
            MixSource.class)) {
      register(c);
    }
  }

  private SourceTypes() {}

  /**
   * Makes {@code type} available to configs under its {@link JsonTypeName}; a name already taken by
   * another class is an error.
   */
  public static synchronized void register(Class<? extends Source> type) {
    JsonTypeName name = type.getAnnotation(JsonTypeName.class);
    if (name == null || name.value().isBlank()) {
      throw new IllegalArgumentException(
          type.getName() + " needs @JsonTypeName(\"NAME\"): the type name configs use");
    }
    if (!type.isRecord()) {
      throw new IllegalArgumentException(
          type.getName() + " must be a record: its components are the config fields");
    }
    Class<? extends Source> before = TYPES.putIfAbsent(name.value(), type);
    if (before != null && before != type) {
      throw new IllegalArgumentException(
          "source type '" + name.value() + "' is taken by " + before.getName());
    }
  }

  /** Type names, built-in ones first. */
  public static synchronized List<String> names() {
    return List.copyOf(TYPES.keySet());
  }

  /** The config name of a registered source class. */
  public static String nameOf(Class<?> type) {
    JsonTypeName name = type.getAnnotation(JsonTypeName.class);
    if (name == null) {
      throw new IllegalArgumentException(
          type.getName() + " is not a source type (no @JsonTypeName)");
    }
    return name.value();
  }

  /** Lets {@code mapper} read every registered type from a source object's {@code type} field. */
  public static synchronized void registerWith(ObjectMapper mapper) {
    List<NamedType> named = new ArrayList<>();
    TYPES.forEach((name, type) -> named.add(new NamedType(type, name)));
    mapper.registerSubtypes(named.toArray(NamedType[]::new));
  }

  /** The config fields (snake_case) of a type besides {@code type}, from its record components. */
  public static Set<String> fields(Class<?> type) {
    Set<String> fields = new TreeSet<>();
    for (var c : type.getRecordComponents()) {
      fields.add(snake(c.getName()));
    }
    return fields;
  }

  /** The type names whose fields include {@code field}. */
  public static synchronized List<String> typesWithField(String field) {
    return TYPES.entrySet().stream()
        .filter(e -> fields(e.getValue()).contains(field))
        .map(Map.Entry::getKey)
        .toList();
  }

  /** Registered class of a type name, or null. */
  public static synchronized Class<? extends Source> byName(String name) {
    return TYPES.get(name);
  }

  private static String snake(String camel) {
    return camel.replaceAll("([a-z0-9])([A-Z])", "$1_$2").toLowerCase(Locale.ROOT);
  }
}
