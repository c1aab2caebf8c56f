package io.checkpointd.kind.squares;

import java.util.List;

public record SquaresResult(List<Long> data) {}
