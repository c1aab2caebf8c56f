package io.checkpointd.auth;

import io.quarkus.security.credential.TokenCredential;
import io.quarkus.security.identity.IdentityProviderManager;
import io.quarkus.security.identity.SecurityIdentity;
import io.quarkus.security.identity.request.AuthenticationRequest;
import io.quarkus.security.identity.request.TokenAuthenticationRequest;
import io.quarkus.security.runtime.QuarkusPrincipal;
import io.quarkus.security.runtime.QuarkusSecurityIdentity;
import io.quarkus.vertx.http.runtime.security.ChallengeData;
import io.quarkus.vertx.http.runtime.security.HttpAuthenticationMechanism;
import io.quarkus.vertx.http.runtime.security.HttpSecurityUtils;
import io.smallrye.mutiny.Uni;
import io.vertx.core.http.HttpHeaders;
import io.vertx.ext.web.RoutingContext;
import jakarta.enterprise.context.ApplicationScoped;
import java.util.Set;

/**
 * Reads {@code Authorization: Bearer <key>}. Without a header: anonymous when keys are required
 * (a resource that asks for a role then answers 401), and the open caller, with every role, when
 * they are not.
 */
@ApplicationScoped
public class ApiKeyAuthentication implements HttpAuthenticationMechanism {

  /** The {@link io.checkpointd.model.Caller} of the request, an attribute of its identity. */
  public static final String CALLER = "checkpointd.caller";

  private static final SecurityIdentity OPEN = QuarkusSecurityIdentity.builder()
      .setPrincipal(new QuarkusPrincipal("open"))
      .addRoles(Set.copyOf(Roles.ALL))
      .addAttribute(CALLER, io.checkpointd.model.Caller.SYSTEM)
      .build();

  private final ApiKeys keys;

  ApiKeyAuthentication(ApiKeys keys) {
    this.keys = keys;
  }

  @Override
  public Uni<SecurityIdentity> authenticate(RoutingContext context, IdentityProviderManager identities) {
    if (!keys.required()) {
      return Uni.createFrom().item(OPEN);
    }
    String header = context.request().getHeader(HttpHeaders.AUTHORIZATION);
    if (header == null) {
      return Uni.createFrom().nullItem(); // anonymous: a resource that asks for a role answers 401
    }
    if (!header.regionMatches(true, 0, "Bearer ", 0, 7) || header.length() == 7) {
      return Uni.createFrom().failure(new io.quarkus.security.AuthenticationFailedException(
          "the Authorization header must be 'Bearer <API key>'"));
    }
    return identities.authenticate(HttpSecurityUtils.setRoutingContextAttribute(
        new TokenAuthenticationRequest(new TokenCredential(header.substring(7).trim(), "bearer")), context));
  }

  @Override
  public Uni<ChallengeData> getChallenge(RoutingContext context) {
    return Uni.createFrom().item(new ChallengeData(401, "WWW-Authenticate", "Bearer realm=\"checkpointd\""));
  }

  @Override
  public Set<Class<? extends AuthenticationRequest>> getCredentialTypes() {
    return Set.of(TokenAuthenticationRequest.class);
  }
}
