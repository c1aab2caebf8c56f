package io.checkpointd.auth;

import io.quarkus.security.AuthenticationFailedException;
import io.quarkus.security.identity.IdentityProviderManager;
import io.quarkus.security.identity.SecurityIdentity;
import io.quarkus.smallrye.jwt.runtime.auth.JWTAuthMechanism;
import io.smallrye.mutiny.Uni;
import io.vertx.ext.web.RoutingContext;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.inject.Instance;
import java.util.Optional;
import org.eclipse.microprofile.config.inject.ConfigProperty;

/**
 * JWTs of an organisation's identity provider, verified by smallrye-jwt (signature, issuer, expiry),
 * beside API keys. Off unless {@code mp.jwt.verify.publickey.location} names a key: a PEM or JWK set
 * file, or a JWKS URL.
 *
 * <p>Only that property switches it on. In dev and test mode Quarkus puts a key pair of its own into
 * {@code mp.jwt.verify.publickey} when none is configured; counting that one would require
 * authentication of every local run.
 */
@ApplicationScoped
public class JwtBearer {

  private final Optional<String> keyLocation;
  private final Optional<String> issuer;
  private final Instance<JWTAuthMechanism> mechanism;

  JwtBearer(@ConfigProperty(name = "mp.jwt.verify.publickey.location") Optional<String> keyLocation,
      @ConfigProperty(name = "mp.jwt.verify.issuer") Optional<String> issuer, Instance<JWTAuthMechanism> mechanism) {
    this.keyLocation = keyLocation.filter(s -> !s.isBlank());
    this.issuer = issuer.filter(s -> !s.isBlank());
    this.mechanism = mechanism;
  }

  /** Whether bearer tokens other than API keys are verified as JWTs. */
  public boolean configured() {
    return keyLocation.isPresent();
  }

  /** The issuer tokens must name ({@code mp.jwt.verify.issuer}); required once JWT is configured. */
  Optional<String> issuer() {
    return issuer;
  }

  Optional<String> keyLocation() {
    return keyLocation;
  }

  /**
   * Verifies the request's bearer token as a JWT. The mechanism is looked up only here: its
   * configuration cannot be built without a key. Why a token failed stays in the debug log; the
   * caller learns only that it was refused, as with a bad key.
   */
  Uni<SecurityIdentity> authenticate(RoutingContext context, IdentityProviderManager identities) {
    return mechanism.get().authenticate(context, identities)
        .onFailure(e -> !JwtCallers.refusedClaims(e))
        .transform(e -> new AuthenticationFailedException(
            "the bearer token is neither an API key nor a valid JWT of the configured issuer"
                + " (its signature, issuer and expiry are checked)", e));
  }
}
