package dev.tltf.common.io;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;

/**
 * One configured Jackson mapper for every small JSON file tltf writes (fingerprints, markers,
 * metrics).
 */
public final class Json {
  private static final ObjectMapper MAPPER =
      new ObjectMapper()
          .enable(SerializationFeature.INDENT_OUTPUT)
          .enable(SerializationFeature.ORDER_MAP_ENTRIES_BY_KEYS)
          .disable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES);

  private Json() {}

  public static ObjectMapper mapper() {
    return MAPPER;
  }

  public static String write(Object value) {
    try {
      return MAPPER.writeValueAsString(value);
    } catch (JsonProcessingException e) {
      throw new IllegalStateException(
          "Cannot write " + value.getClass().getSimpleName() + " as JSON", e);
    }
  }

  /**
   * Parses {@code text}; a malformed document is an {@link IllegalArgumentException} naming {@code
   * what}.
   */
  public static <T> T read(String text, Class<T> type, String what) {
    try {
      return MAPPER.readValue(text, type);
    } catch (JsonProcessingException e) {
      throw new IllegalArgumentException("Cannot parse " + what + ": " + e.getOriginalMessage(), e);
    }
  }
}
