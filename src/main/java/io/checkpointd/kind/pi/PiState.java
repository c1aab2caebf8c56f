package io.checkpointd.kind.pi;

/**
 * @param generator the random generator's whole state: saving it is what makes resumption exact
 */
public record PiState(long step, long drawn, long inside, long generator) {}
