package io.checkpointd.kind.counter;

public record CounterState(long count, String payload) {}
