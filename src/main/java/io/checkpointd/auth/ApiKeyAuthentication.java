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
import jakarta.annotation.Priority;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.inject.Alternative;
import java.util.Set;

/**
 * Reads {@code Authorization: Bearer <key>}. Without a header: anonymous when keys are required
 * (a resource that asks for a role then answers 401), and the open caller, with every role, when
 * they are not.
 *
 * <p>The one mechanism for the Bearer header: an API key ({@code ckd_…}) is looked up, any other
 * token goes to smallrye-jwt when JWT is configured ({@link JwtBearer}). Being the one enabled
 * alternative keeps smallrye-jwt's own mechanism off the header: two mechanisms reading one header
 * make it unclear which answers (without this, JwtTest saw a revoked key let in), and smallrye-jwt's
 * would read tokens even when no JWT key is configured.
 */
@Alternative
@Priority(1)
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
  private final JwtBearer jwt;

  ApiKeyAuthentication(ApiKeys keys, JwtBearer jwt) {
    this.keys = keys;
    this.jwt = jwt;
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
          jwt.configured() ? "the Authorization header must be 'Bearer <API key or JWT>'"
              : "the Authorization header must be 'Bearer <API key>'"));
    }
    String token = header.substring(7).trim();
    if (jwt.configured() && !keys.meantAsKey(token)) {
      return jwt.authenticate(context, identities);
    }
    return identities.authenticate(HttpSecurityUtils.setRoutingContextAttribute(
        new TokenAuthenticationRequest(new TokenCredential(token, "bearer")), context));
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
