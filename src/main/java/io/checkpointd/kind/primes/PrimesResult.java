package io.checkpointd.kind.primes;

public record PrimesResult(long n, long count) {}
