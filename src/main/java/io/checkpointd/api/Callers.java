package io.checkpointd.api;

import io.checkpointd.auth.ApiKeyAuthentication;
import io.checkpointd.model.Caller;
import io.quarkus.security.identity.SecurityIdentity;

/** The caller of a request, from its security identity: who it is and which tenants' data it sees. */
final class Callers {

  private Callers() {}

  static Caller of(SecurityIdentity identity) {
    Caller caller = identity.getAttribute(ApiKeyAuthentication.CALLER);
    return caller == null ? Caller.SYSTEM : caller;
  }
}
