package io.checkpointd.kind.squares;

import java.util.List;

/** What the sketch kept in its checkpoint file: the counter and the squares so far. */
public record SquaresState(long counter, List<Long> data) {

  public SquaresState {
    data = List.copyOf(data);
  }
}
