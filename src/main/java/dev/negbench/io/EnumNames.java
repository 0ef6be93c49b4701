package dev.negbench.io;

import java.util.Locale;

/** Enum constants as options and configs write them: their lower-case names, read in any case. */
public final class EnumNames {
  private EnumNames() {}

  /**
   * The constant of {@code type} named {@code text} in any case; otherwise an error such as "{@code
   * sampling must be 'top' or 'random', was 'best'}", {@code what} naming the setting.
   */
  public static <E extends Enum<E>> E parse(Class<E> type, String what, String text) {
    E[] values = type.getEnumConstants();
    StringBuilder names = new StringBuilder();
    for (int i = 0; i < values.length; i++) {
      if (values[i].name().equalsIgnoreCase(text)) {
        return values[i];
      }
      names
          .append(i == 0 ? "" : i == values.length - 1 ? " or " : ", ")
          .append('\'')
          .append(label(values[i]))
          .append('\'');
    }
    throw new IllegalArgumentException(what + " must be " + names + ", was '" + text + "'");
  }

  /** The lower-case name {@link #parse} reads back: what summaries and configs record. */
  public static String label(Enum<?> value) {
    return value.name().toLowerCase(Locale.ROOT);
  }
}
