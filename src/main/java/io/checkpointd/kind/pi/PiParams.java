package io.checkpointd.kind.pi;

public record PiParams(long samples, long samplesPerStep, long seed, long delayMs) {}
