package io.checkpointd.api;

import io.checkpointd.auth.JwtBearer;
import io.quarkus.security.AuthenticationFailedException;
import io.quarkus.security.ForbiddenException;
import io.quarkus.security.UnauthorizedException;
import jakarta.ws.rs.core.Response;
import jakarta.ws.rs.core.UriInfo;
import org.jboss.resteasy.reactive.server.ServerExceptionMapper;

/**
 * Refusals by Quarkus security as problem documents: 401 for no or a bad key (with the challenge),
 * 403 for a key without the role. Never which keys or jobs exist.
 */
public class SecurityProblems {

  private static final String CHALLENGE = "Bearer realm=\"checkpointd\"";

  private final Problems problems;
  private final JwtBearer jwt;

  SecurityProblems(Problems problems, JwtBearer jwt) {
    this.problems = problems;
    this.jwt = jwt;
  }

  @ServerExceptionMapper
  public Response noKey(UnauthorizedException e, UriInfo uri) {
    return unauthorized(jwt.configured()
        ? "credentials are required: send 'Authorization: Bearer <API key or JWT of the configured issuer>'"
        : "an API key is required: send 'Authorization: Bearer <key>'", uri);
  }

  @ServerExceptionMapper
  public Response badKey(AuthenticationFailedException e, UriInfo uri) {
    String detail = e.getMessage() == null || e.getMessage().isBlank() ? "the API key is unknown or revoked" : e.getMessage();
    return unauthorized(detail, uri);
  }

  @ServerExceptionMapper
  public Response forbidden(ForbiddenException e, UriInfo uri) {
    return problems.response(403, "forbidden", "Not allowed for this key",
        "this key's roles do not allow " + uri.getPath() + " with this method", uri, null);
  }

  @ServerExceptionMapper
  public Response noSuchKey(ApiKeyResource.KeyNotFoundException e, UriInfo uri) {
    return problems.response(404, "key-not-found", "API key not found", e.getMessage(), uri, null);
  }

  private Response unauthorized(String detail, UriInfo uri) {
    Response r = problems.response(401, "unauthorized", "Authentication required", detail, uri, null);
    return Response.fromResponse(r).header("WWW-Authenticate", CHALLENGE).build();
  }
}
