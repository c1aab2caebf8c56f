package io.checkpointd.api;

import io.checkpointd.auth.ApiKeys;
import io.checkpointd.auth.CreatedKey;
import io.checkpointd.auth.Roles;
import io.checkpointd.model.ApiKey;
import io.quarkus.security.identity.SecurityIdentity;
import jakarta.annotation.security.RolesAllowed;
import jakarta.validation.constraints.NotNull;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.DELETE;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import java.net.URI;
import java.time.OffsetDateTime;
import java.util.List;
import java.util.Set;
import java.util.UUID;

/** API keys: created, listed and revoked by admins. */
@RolesAllowed(Roles.ADMIN)
@Path("/api-keys")
@Produces(MediaType.APPLICATION_JSON)
public class ApiKeyResource {

  private final ApiKeys keys;
  private final SecurityIdentity identity;

  ApiKeyResource(ApiKeys keys, SecurityIdentity identity) {
    this.keys = keys;
    this.identity = identity;
  }

  /** What a client sends to create a key. */
  public record CreateKeyRequest(String tenant, List<String> roles, String name) {}

  /** A key as listed: never the key itself. */
  public record ApiKeyView(
      UUID id, String prefix, String tenant, Set<String> roles, String name, OffsetDateTime createdAt, String createdBy,
      OffsetDateTime revokedAt) {

    static ApiKeyView of(ApiKey k) {
      return new ApiKeyView(k.id(), k.prefix(), k.tenant(), k.roles(), k.name(), k.createdAt(), k.createdBy(), k.revokedAt());
    }
  }

  /** A new key, with the key itself: shown this once. */
  public record CreatedKeyView(
      UUID id, String key, String prefix, String tenant, Set<String> roles, String name, OffsetDateTime createdAt) {}

  @POST
  @Consumes(MediaType.APPLICATION_JSON)
  public Response create(@NotNull(message = "a JSON body is required") CreateKeyRequest request) {
    CreatedKey created = keys.create(Callers.of(identity), request.tenant(), request.roles(), request.name());
    ApiKey k = created.stored();
    return Response.created(URI.create("api-keys/" + k.id()))
        .entity(new CreatedKeyView(k.id(), created.key(), k.prefix(), k.tenant(), k.roles(), k.name(), k.createdAt()))
        .build();
  }

  @GET
  public List<ApiKeyView> list() {
    return keys.list(Callers.of(identity)).stream().map(ApiKeyView::of).toList();
  }

  /** Revokes the key on every instance at once; revoking it again changes nothing. */
  @DELETE
  @Path("/{id}")
  public Response revoke(@PathParam("id") String id) {
    UUID key;
    try {
      key = UUID.fromString(id);
    } catch (IllegalArgumentException e) {
      throw new KeyNotFoundException(id);
    }
    keys.revoke(Callers.of(identity), key).orElseThrow(() -> new KeyNotFoundException(id));
    return Response.noContent().build();
  }

  /** No key with that id (for this caller). */
  static final class KeyNotFoundException extends RuntimeException {
    KeyNotFoundException(String id) {
      super("no API key with id " + id);
    }
  }
}
