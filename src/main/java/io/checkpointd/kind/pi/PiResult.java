package io.checkpointd.kind.pi;

public record PiResult(double estimate, long inside, long samples) {}
