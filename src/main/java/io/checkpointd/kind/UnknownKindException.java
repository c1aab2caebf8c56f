package io.checkpointd.kind;

import java.util.Collection;

public class UnknownKindException extends InvalidParamsException {

  public UnknownKindException(String kind, Collection<String> known) {
    super("kind", "unknown kind '" + kind + "'; known kinds: " + String.join(", ", known));
  }
}
