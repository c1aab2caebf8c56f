package io.checkpointd.kind.primes;

public record PrimesParams(long n, long segmentSize, long delayMs) {}
