package io.checkpointd.kind.primes;

/** @param segment how many segments have been sieved; {@code count} primes were found in them */
public record PrimesState(long segment, long count) {}
