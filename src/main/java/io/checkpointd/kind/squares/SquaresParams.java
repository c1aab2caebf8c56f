package io.checkpointd.kind.squares;

public record SquaresParams(long limit, long delayMs) {}
