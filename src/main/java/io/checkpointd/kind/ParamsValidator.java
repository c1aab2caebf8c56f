package io.checkpointd.kind;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.math.BigDecimal;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;

/**
 * Checks a client's {@code params} object against a kind's {@link ParamSpec}s and fills in defaults.
 * Unknown names are refused: a typo must not silently run with defaults.
 */
final class ParamsValidator {

  private ParamsValidator() {}

  static ObjectNode validate(List<ParamSpec> specs, JsonNode given) {
    List<InvalidParamsException.Violation> violations = new ArrayList<>();
    ObjectNode result = JsonNodeFactory.instance.objectNode();
    if (given != null && !given.isNull() && !given.isObject()) {
      throw new InvalidParamsException("params", "must be a JSON object");
    }
    Map<String, ParamSpec> byName = specs.stream().collect(Collectors.toMap(ParamSpec::name, s -> s));
    if (given != null && given.isObject()) {
      for (Iterator<String> names = given.fieldNames(); names.hasNext(); ) {
        String name = names.next();
        if (!byName.containsKey(name)) {
          violations.add(
              new InvalidParamsException.Violation(
                  "params." + name, "unknown parameter; known parameters: " + String.join(", ", byName.keySet())));
        }
      }
    }
    for (ParamSpec spec : specs) {
      JsonNode value = given == null || given.isNull() ? null : given.get(spec.name());
      if (value == null || value.isNull()) {
        putNumber(result, spec.name(), spec.defaultValue());
        continue;
      }
      String field = "params." + spec.name();
      boolean integer = "integer".equals(spec.type());
      if (!value.isNumber() || (integer && !isWholeNumber(value))) {
        violations.add(new InvalidParamsException.Violation(field, "must be " + (integer ? "an integer" : "a number")));
        continue;
      }
      BigDecimal v = exact(value);
      if (v == null
          || v.compareTo(new BigDecimal(spec.minimum().toString())) < 0
          || v.compareTo(new BigDecimal(spec.maximum().toString())) > 0) {
        violations.add(
            new InvalidParamsException.Violation(
                field, "must be between " + spec.minimum() + " and " + spec.maximum() + ", was " + value.asText()));
        continue;
      }
      if (integer) {
        result.put(spec.name(), v.longValueExact());
      } else if (v.signum() != 0 && v.doubleValue() == 0) {
        // 1e-400 is in range but a double holds it as 0: refuse rather than run with another number.
        violations.add(new InvalidParamsException.Violation(field, "is too close to 0 to be held as a double, was " + value.asText()));
      } else {
        result.put(spec.name(), v.doubleValue());
      }
    }
    if (!violations.isEmpty()) {
      throw new InvalidParamsException(violations);
    }
    return result;
  }

  private static boolean isWholeNumber(JsonNode value) {
    if (value.isIntegralNumber()) {
      return true;
    }
    BigDecimal d = exact(value);
    return d == null || d.signum() == 0 || d.scale() <= 0 || d.stripTrailingZeros().scale() <= 0;
  }

  /**
   * The number as a BigDecimal, or null for a double that has none (Infinity, NaN): parsed as a
   * double, a number beyond a double's range arrives as Infinity, and it is out of any range.
   */
  private static BigDecimal exact(JsonNode value) {
    if (value.isFloatingPointNumber() && !value.isBigDecimal() && !Double.isFinite(value.doubleValue())) {
      return null;
    }
    return value.decimalValue();
  }

  private static void putNumber(ObjectNode node, String name, Number value) {
    if (value instanceof Double || value instanceof Float) {
      node.put(name, value.doubleValue());
    } else {
      node.put(name, value.longValue());
    }
  }
}
