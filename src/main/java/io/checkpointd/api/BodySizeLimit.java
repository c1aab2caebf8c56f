package io.checkpointd.api;

import jakarta.ws.rs.container.ContainerRequestContext;
import jakarta.ws.rs.core.Response;
import io.checkpointd.config.CheckpointdConfig;
import org.jboss.resteasy.reactive.server.ServerRequestFilter;

/**
 * Refuses a request body over {@code checkpointd.max-body-bytes} with a problem document. The HTTP
 * layer's own limit answers a bare 413 with no body, which tells a client nothing.
 */
public class BodySizeLimit {

  private final long maxBytes;

  BodySizeLimit(CheckpointdConfig config) {
    this.maxBytes = config.maxBodyBytes();
  }

  @ServerRequestFilter(preMatching = true)
  public Response refuseOversized(ContainerRequestContext request) {
    if (request.getLength() > maxBytes) {
      return ProblemMappers.problemResponse(413, "body-too-large", "Request body too large",
          "the request body has " + request.getLength() + " bytes; at most " + maxBytes + " are accepted",
          request.getUriInfo().getPath());
    }
    return null;
  }
}
