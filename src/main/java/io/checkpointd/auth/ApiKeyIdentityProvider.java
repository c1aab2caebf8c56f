package io.checkpointd.auth;

import io.quarkus.security.AuthenticationFailedException;
import io.quarkus.security.identity.AuthenticationRequestContext;
import io.quarkus.security.identity.IdentityProvider;
import io.quarkus.security.identity.SecurityIdentity;
import io.quarkus.security.identity.request.TokenAuthenticationRequest;
import io.quarkus.security.runtime.QuarkusPrincipal;
import io.quarkus.security.runtime.QuarkusSecurityIdentity;
import io.quarkus.smallrye.jwt.runtime.auth.JsonWebTokenCredential;
import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;

/**
 * Turns an API key into who holds it and its roles; the lookup may query, so it runs off the event
 * loop. A JWT's credential is smallrye-jwt's provider's to verify, not a key to look up.
 */
@ApplicationScoped
public class ApiKeyIdentityProvider implements IdentityProvider<TokenAuthenticationRequest> {

  private final ApiKeys keys;

  ApiKeyIdentityProvider(ApiKeys keys) {
    this.keys = keys;
  }

  @Override
  public Class<TokenAuthenticationRequest> getRequestType() {
    return TokenAuthenticationRequest.class;
  }

  @Override
  public Uni<SecurityIdentity> authenticate(TokenAuthenticationRequest request, AuthenticationRequestContext context) {
    if (request.getToken() instanceof JsonWebTokenCredential) {
      return Uni.createFrom().nullItem();
    }
    // a key checked before is answered here, on the event loop: only a lookup needs a worker
    // thread, and the hop there and back would cost every request more than the check itself
    java.util.Optional<ApiKeys.KeyHolder> known = keys.known(request.getToken().getToken());
    if (known.isPresent()) {
      return Uni.createFrom().item(identity(known.get(), request));
    }
    return context.runBlocking(() -> identity(keys.check(request.getToken().getToken())
        .orElseThrow(() -> new AuthenticationFailedException("the API key is unknown or revoked")), request));
  }

  private static SecurityIdentity identity(ApiKeys.KeyHolder holder, TokenAuthenticationRequest request) {
    return QuarkusSecurityIdentity.builder()
        .setPrincipal(new QuarkusPrincipal(holder.caller().name()))
        .addRoles(holder.roles())
        .addAttribute(ApiKeyAuthentication.CALLER, holder.caller())
        .addCredential(request.getToken())
        .build();
  }
}
