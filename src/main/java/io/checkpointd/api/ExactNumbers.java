package io.checkpointd.api;

import com.fasterxml.jackson.databind.DeserializationContext;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonDeserializer;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.ObjectReader;
import com.fasterxml.jackson.core.JsonParser;
import java.io.IOException;

/**
 * Reads a JSON tree keeping every number as written. Why: read as a double, {@code 1e400} becomes
 * Infinity (which no range check can compare) and {@code 1e-400} becomes 0 (a valid integer), so
 * a number JSON allows but a double does not hold would be refused with a 500 or silently changed.
 */
final class ExactNumbers extends JsonDeserializer<JsonNode> {

  private static final ObjectReader EXACT = new ObjectMapper().reader(DeserializationFeature.USE_BIG_DECIMAL_FOR_FLOATS);

  @Override
  public JsonNode deserialize(JsonParser p, DeserializationContext ctxt) throws IOException {
    return EXACT.readTree(p);
  }
}
