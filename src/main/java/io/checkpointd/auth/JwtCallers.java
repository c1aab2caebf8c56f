package io.checkpointd.auth;

import io.checkpointd.config.CheckpointdConfig;
import io.checkpointd.model.Caller;
import io.quarkus.security.AuthenticationFailedException;
import io.quarkus.security.identity.AuthenticationRequestContext;
import io.quarkus.security.identity.SecurityIdentity;
import io.quarkus.security.identity.SecurityIdentityAugmentor;
import io.quarkus.security.runtime.QuarkusSecurityIdentity;
import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.json.JsonString;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;
import org.eclipse.microprofile.jwt.JsonWebToken;

/**
 * A verified JWT's claims as a {@link Caller} and roles: the tenant from a configured claim, roles
 * from {@code groups} (smallrye-jwt's groups, so {@code smallrye.jwt.path.groups} applies) kept to
 * ours, the caller named by the token's subject.
 *
 * <p>A token without a tenant would otherwise fall into the {@code default} tenant and see or change
 * jobs no one meant it to: it is refused, unless it is an admin's, who sees every tenant anyway.
 */
@ApplicationScoped
public class JwtCallers implements SecurityIdentityAugmentor {

  private static final String REFUSED_CLAIMS = "checkpointd.refused-claims";

  private final String tenantClaim;

  JwtCallers(CheckpointdConfig config) {
    this.tenantClaim = config.auth().jwt().tenantClaim();
  }

  @Override
  public Uni<SecurityIdentity> augment(SecurityIdentity identity, AuthenticationRequestContext context) {
    if (!(identity.getPrincipal() instanceof JsonWebToken token)) {
      return Uni.createFrom().item(identity);
    }
    try {
      return Uni.createFrom().item(withCaller(identity, token));
    } catch (AuthenticationFailedException e) {
      return Uni.createFrom().failure(e);
    }
  }

  private SecurityIdentity withCaller(SecurityIdentity identity, JsonWebToken token) {
    Set<String> roles = identity.getRoles().stream().filter(Roles.ALL::contains).collect(Collectors.toSet());
    boolean admin = roles.contains(Roles.ADMIN);
    String tenant = tenant(token.getClaim(tenantClaim));
    if (tenant == null && !admin) {
      throw refused("the token has no '" + tenantClaim + "' claim naming its tenant;"
          + " only a token with the admin role may go without one");
    }
    if (tenant != null && !ApiKeys.TENANT.matcher(tenant).matches()) {
      throw refused("the token's '" + tenantClaim + "' claim must be 1 to 63 lowercase letters, digits"
          + " or '-', starting with a letter or digit");
    }
    String subject = token.getSubject() != null ? token.getSubject() : token.getName();
    Caller caller = new Caller(tenant == null ? Caller.DEFAULT_TENANT : tenant, admin, "token " + subject);
    // a new identity rather than a copy: a copy would keep every group of the token as a role
    return QuarkusSecurityIdentity.builder()
        .setPrincipal(token)
        .addCredentials(identity.getCredentials())
        .addAttributes(identity.getAttributes())
        .addRoles(roles)
        .addAttribute(ApiKeyAuthentication.CALLER, caller)
        .build();
  }

  private String tenant(Object claim) {
    if (claim == null) {
      return null;
    }
    if (claim instanceof JsonString json) {
      return json.getString();
    }
    if (claim instanceof String s) {
      return s;
    }
    throw refused("the token's '" + tenantClaim + "' claim must be a string naming its tenant");
  }

  /** A verified token whose claims do not make a caller: a 401 that says which claim. */
  private static AuthenticationFailedException refused(String detail) {
    return new AuthenticationFailedException(detail, Map.of(REFUSED_CLAIMS, true));
  }

  /** Whether a failure is a refusal of claims, whose detail the caller should read as it is. */
  static boolean refusedClaims(Throwable failure) {
    return failure instanceof AuthenticationFailedException e && e.getAttribute(REFUSED_CLAIMS) != null;
  }
}
