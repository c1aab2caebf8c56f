package io.checkpointd.engine.external;

import io.checkpointd.config.CheckpointdConfig;
import io.checkpointd.kind.InvalidParamsException;
import io.checkpointd.kind.JobKinds;
import jakarta.enterprise.context.ApplicationScoped;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

/** What a claim may ask for: who, which kinds (declared, external), how long to wait and to hold. */
@ApplicationScoped
class ClaimChecks {

  private static final Duration HARD_MAX_WAIT = Duration.ofSeconds(300);
  private static final Duration HARD_MAX_TTL = Duration.ofHours(1);

  private final JobKinds kinds;
  private final CheckpointdConfig config;

  ClaimChecks(JobKinds kinds, CheckpointdConfig config) {
    this.kinds = kinds;
    this.config = config;
  }

  /** Every fault of the claim at once, as one 400. */
  void check(String worker, List<String> kindNames, String tenant, Duration wait, Duration ttl) {
    List<InvalidParamsException.Violation> errors = new ArrayList<>();
    if (worker == null || worker.isBlank() || worker.length() > 200 || worker.chars().anyMatch(Character::isISOControl)) {
      errors.add(new InvalidParamsException.Violation("worker", "is required: 1 to 200 printable characters"));
    }
    if (kindNames == null || kindNames.isEmpty() || kindNames.size() > 50) {
      errors.add(new InvalidParamsException.Violation("kinds", "must name 1 to 50 kinds that external workers declared"));
    } else {
      // a tenant's worker serves the kinds its tenant declared; one that serves every tenant, any
      // tenant's (the claim then takes jobs of that name from every tenant)
      for (String name : kindNames) {
        if (kinds.builtInNames().contains(name)) {
          errors.add(new InvalidParamsException.Violation("kinds", "'" + name + "' is a built-in kind: the service runs its jobs itself"));
        } else if (!kinds.declaredExternal(tenant, name)) {
          errors.add(new InvalidParamsException.Violation("kinds", "unknown kind '" + name + "'; declare it first with PUT /kinds/" + name));
        }
      }
    }
    Duration maxWait = min(config.externalWorkers().maxWait(), HARD_MAX_WAIT);
    if (wait.isNegative() || wait.compareTo(maxWait) > 0) {
      errors.add(new InvalidParamsException.Violation("waitSeconds", "must be between 0 and " + maxWait.toSeconds()));
    }
    Duration maxTtl = min(config.externalWorkers().maxLeaseTtl(), HARD_MAX_TTL);
    if (ttl.compareTo(config.externalWorkers().minLeaseTtl()) < 0 || ttl.compareTo(maxTtl) > 0) {
      errors.add(new InvalidParamsException.Violation("leaseTtlSeconds", "must be between "
          + config.externalWorkers().minLeaseTtl().toMillis() / 1000.0 + " and " + maxTtl.toSeconds()));
    }
    if (!errors.isEmpty()) {
      throw new InvalidParamsException(errors);
    }
  }

  private static Duration min(Duration a, Duration b) {
    return a.compareTo(b) <= 0 ? a : b;
  }
}
