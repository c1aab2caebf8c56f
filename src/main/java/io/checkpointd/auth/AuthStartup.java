package io.checkpointd.auth;

import io.quarkus.runtime.StartupEvent;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.annotation.Priority;
import jakarta.enterprise.event.Observes;
import jakarta.interceptor.Interceptor;
import java.net.InetAddress;
import java.net.UnknownHostException;
import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.jboss.logging.Logger;

/**
 * Safe by default: a service without keys or JWT listens on loopback only. Asked to listen anywhere
 * else with no key configured or stored and no JWT configured, it refuses to start, unless told to
 * run open on purpose.
 */
@ApplicationScoped
class AuthStartup {

  private static final Logger LOG = Logger.getLogger(AuthStartup.class);

  private final ApiKeys keys;
  private final JwtBearer jwt;
  private final KeyRevocations revocations;
  private final String host;

  AuthStartup(ApiKeys keys, JwtBearer jwt, KeyRevocations revocations,
      @ConfigProperty(name = "quarkus.http.host") String host) {
    this.keys = keys;
    this.jwt = jwt;
    this.revocations = revocations;
    this.host = host;
  }

  /** Before the engine starts (default priority): a service that must not run claims nothing first. */
  void start(@Observes @Priority(Interceptor.Priority.PLATFORM_BEFORE) StartupEvent startup) {
    keys.checkStored();
    if (jwt.configured() && jwt.issuer().isEmpty()) {
      // without it any token signed by the key would do, whoever it was issued by or for
      throw new IllegalStateException("mp.jwt.verify.publickey.location is set but mp.jwt.verify.issuer is not:"
          + " set MP_JWT_VERIFY_ISSUER to your identity provider's issuer (the tokens' 'iss' claim)");
    }
    if (jwt.configured()) {
      LOG.infof("JWTs of issuer %s accepted beside API keys (key: %s)", jwt.issuer().get(), jwt.keyLocation().get());
    }
    if (keys.required()) {
      LOG.infof("Authentication required (Authorization: Bearer <API key%s>); listening on %s",
          jwt.configured() ? " or JWT" : "", host);
    } else if (keys.openOnPurpose()) {
      LOG.warnf("checkpointd.auth.mode=none: anyone who reaches %s may read, create and cancel every job", host);
    } else if (!loopback(host)) {
      throw new IllegalStateException("checkpointd would listen on " + host + " with no API key: anyone reaching it could"
          + " read and cancel every job. Set CHECKPOINTD_ADMIN_KEY (at least 32 characters, e.g. `openssl rand -base64 32`),"
          + " or configure JWT (MP_JWT_VERIFY_PUBLICKEY_LOCATION and MP_JWT_VERIFY_ISSUER), or CHECKPOINTD_AUTH_MODE=none to run open on purpose, or listen on 127.0.0.1 (quarkus.http.host)");
    } else {
      LOG.infof("No API keys configured: open to this machine only (%s); see the README's Security section", host);
    }
    revocations.start();
  }

  private static boolean loopback(String host) {
    try {
      return InetAddress.getByName(host).isLoopbackAddress();
    } catch (UnknownHostException e) {
      return false;
    }
  }
}
