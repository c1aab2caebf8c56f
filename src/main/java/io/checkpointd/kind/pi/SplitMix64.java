package io.checkpointd.kind.pi;

/**
 * SplitMix64 (Steele, Lea, Flood 2014): a fast generator whose entire state is one long, so it can
 * be checkpointed as a number. {@link java.util.SplittableRandom} uses the same algorithm but does
 * not expose its state.
 */
final class SplitMix64 {

  private long state;

  SplitMix64(long state) {
    this.state = state;
  }

  long state() {
    return state;
  }

  long nextLong() {
    long z = (state += 0x9E3779B97F4A7C15L);
    z = (z ^ (z >>> 30)) * 0xBF58476D1CE4E5B9L;
    z = (z ^ (z >>> 27)) * 0x94D049BB133111EBL;
    return z ^ (z >>> 31);
  }

  /** Uniform in [0, 1), from the top 53 bits. */
  double nextDouble() {
    return (nextLong() >>> 11) * 0x1.0p-53;
  }
}
