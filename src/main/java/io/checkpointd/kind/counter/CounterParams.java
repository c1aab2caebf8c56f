package io.checkpointd.kind.counter;

public record CounterParams(long iterations, long stateBytes, long delayMs) {}
