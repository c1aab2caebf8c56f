package io.checkpointd.config;

import com.fasterxml.jackson.core.StreamReadConstraints;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.quarkus.jackson.ObjectMapperCustomizer;
import jakarta.inject.Singleton;

/**
 * Lets the service read back every state it accepted. Jackson refuses strings over 20,000,000
 * chars by default, but a state is checked against {@code checkpointd.checkpoints.max-bytes} after
 * compression, so a larger one was written and its job FAILED on its next resume. Why no limit is
 * lost: the only strings this large are the service's own stored states; request bodies are capped
 * far below it by {@code checkpointd.max-body-bytes} before Jackson sees them.
 */
@Singleton
public class LargeStrings implements ObjectMapperCustomizer {

  @Override
  public void customize(ObjectMapper mapper) {
    mapper.getFactory().setStreamReadConstraints(
        StreamReadConstraints.builder().maxStringLength(Integer.MAX_VALUE).build());
  }
}
