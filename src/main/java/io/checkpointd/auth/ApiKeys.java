package io.checkpointd.auth;

import io.checkpointd.config.AuthConfig;
import io.checkpointd.config.CheckpointdConfig;
import io.checkpointd.kind.InvalidParamsException;
import io.checkpointd.model.ApiKey;
import io.checkpointd.model.Caller;
import io.checkpointd.model.Sha256;
import io.checkpointd.persistence.ApiKeyStore;
import jakarta.enterprise.context.ApplicationScoped;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.SecureRandom;
import java.util.Base64;
import java.util.HexFormat;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;
import java.util.regex.Pattern;

/**
 * Creates, checks and revokes API keys. A key is {@code ckd_<prefix>_<secret>}: 256 random bits,
 * stored as a SHA-256 hash; the prefix names it in lists, logs and events.
 *
 * <p>Checked keys are remembered, so a request costs no extra query. A revocation reaches every
 * instance's memory at once through the database ({@link KeyRevocations}); while that channel is
 * down, nothing is remembered.
 */
@ApplicationScoped
public class ApiKeys {

  /** The configured admin key: an admin of the default tenant. */
  static final String CONFIGURED_ADMIN = "configured-admin";

  /** How every stored key starts; a bearer token that does not is a JWT, when JWT is configured. */
  private static final String KEY_START = "ckd_";

  /** A tenant's name, from a key's creation or a token's claim. */
  static final Pattern TENANT = Pattern.compile("[a-z0-9][a-z0-9-]{0,62}");
  private static final int MAX_REMEMBERED = 10_000;
  private static final int MIN_ADMIN_KEY_LENGTH = 32;

  private final ApiKeyStore store;
  private final SecureRandom random = new SecureRandom();
  private final Map<String, ApiKey> remembered = new ConcurrentHashMap<>();
  private final AtomicLong forgotten = new AtomicLong();
  private final byte[] adminKeyHash;
  private final AuthConfig.Mode mode;
  private final JwtBearer jwt;
  private volatile boolean remembering;
  private volatile boolean keysExist;

  ApiKeys(ApiKeyStore store, CheckpointdConfig config, JwtBearer jwt) {
    this.store = store;
    this.jwt = jwt;
    this.mode = config.auth().mode();
    this.adminKeyHash = config.auth().adminKey().map(key -> {
      if (key.length() < MIN_ADMIN_KEY_LENGTH) {
        throw new IllegalStateException("CHECKPOINTD_ADMIN_KEY (checkpointd.auth.admin-key) must be at least "
            + MIN_ADMIN_KEY_LENGTH + " characters; make one with: openssl rand -base64 32");
      }
      return Sha256.hex(key.getBytes(StandardCharsets.UTF_8)).getBytes(StandardCharsets.US_ASCII);
    }).orElse(null);
  }

  /**
   * Whether requests need credentials, a key or a JWT: once an admin key or JWT is configured or a
   * key exists, and always in mode {@code keys}.
   */
  public boolean required() {
    return switch (mode) {
      case NONE -> false;
      case KEYS -> true;
      case AUTO -> adminKeyHash != null || keysExist || jwt.configured();
    };
  }

  /** Whether the service runs open on purpose ({@code checkpointd.auth.mode=none}). */
  public boolean openOnPurpose() {
    return mode == AuthConfig.Mode.NONE;
  }

  /** Looks once at startup whether keys exist: they make keys required as a configured one does. */
  void checkStored() {
    keysExist = store.anyActive();
  }

  /**
   * Whether a bearer token is meant as an API key rather than a JWT: a key's form, or the configured
   * admin key, which is whatever an operator chose.
   */
  boolean meantAsKey(String token) {
    return token.startsWith(KEY_START) || (adminKeyHash != null && MessageDigest.isEqual(adminKeyHash,
        Sha256.hex(token.getBytes(StandardCharsets.UTF_8)).getBytes(StandardCharsets.US_ASCII)));
  }

  /**
   * The key's owner if that is known without a query (the configured admin key, or a key checked
   * before and not revoked since); empty when only {@link #check} can tell.
   */
  public Optional<KeyHolder> known(String key) {
    return knownByHash(Sha256.hex(key.getBytes(StandardCharsets.UTF_8)));
  }

  private Optional<KeyHolder> knownByHash(String hash) {
    if (adminKeyHash != null && MessageDigest.isEqual(adminKeyHash, hash.getBytes(StandardCharsets.US_ASCII))) {
      return Optional.of(new KeyHolder(new Caller(Caller.DEFAULT_TENANT, true, CONFIGURED_ADMIN), Set.copyOf(Roles.ALL)));
    }
    ApiKey stored = remembered.get(hash);
    return stored == null || stored.revoked() ? Optional.empty() : Optional.of(holder(stored));
  }

  /** The key's owner, if the key is in force. */
  public Optional<KeyHolder> check(String key) {
    String hash = Sha256.hex(key.getBytes(StandardCharsets.UTF_8));
    Optional<KeyHolder> known = knownByHash(hash);
    if (known.isPresent()) {
      return known;
    }
    ApiKey stored = remembered.get(hash);
    if (stored == null) {
      // a revocation heard while the key was being looked up may be older than what was read:
      // then it is not remembered (the next request looks again)
      long before = forgotten.get();
      stored = store.findByHash(hash).orElse(null);
      if (stored != null && remembering && remembered.size() < MAX_REMEMBERED) {
        remembered.put(hash, stored);
        if (forgotten.get() != before) {
          remembered.remove(hash);
        }
      }
    }
    if (stored == null || stored.revoked()) {
      return Optional.empty();
    }
    return Optional.of(holder(stored));
  }

  public CreatedKey create(Caller creator, String tenant, List<String> roles, String name) {
    if (tenant == null || !TENANT.matcher(tenant).matches()) {
      throw new InvalidParamsException("tenant", "must be 1 to 63 lowercase letters, digits or '-', starting with a letter or digit");
    }
    if (roles == null || roles.isEmpty() || !Roles.ALL.containsAll(roles)) {
      throw new InvalidParamsException("roles", "must be one or more of " + Roles.ALL + ", was " + roles);
    }
    if (name != null && name.length() > 200) {
      throw new InvalidParamsException("name", "must be at most 200 characters");
    }
    String prefix = HexFormat.of().formatHex(bytes(4));
    String key = KEY_START + prefix + "_" + Base64.getUrlEncoder().withoutPadding().encodeToString(bytes(32));
    ApiKey stored = store.insert(UUID.randomUUID(), prefix, Sha256.hex(key.getBytes(StandardCharsets.UTF_8)), tenant,
        List.copyOf(new LinkedHashSet<>(roles)), name, creator.name());
    keysExist = true;
    return new CreatedKey(stored, key);
  }

  public List<ApiKey> list(Caller caller) {
    return store.list(caller.tenantFilter());
  }

  public Optional<ApiKey> revoke(Caller caller, UUID id) {
    return store.revoke(id, caller.tenantFilter());
  }

  /** A revocation arrived: the key is looked up again next time (and found revoked). */
  void forget(String keyHash) {
    forgotten.incrementAndGet();
    remembered.remove(keyHash);
  }

  /** The revocation channel is (re)connected or lost: start from nothing either way. */
  void remember(boolean on) {
    remembering = on;
    forgotten.incrementAndGet();
    remembered.clear();
  }

  private static KeyHolder holder(ApiKey key) {
    return new KeyHolder(new Caller(key.tenant(), key.roles().contains(Roles.ADMIN), "key " + key.prefix()), key.roles());
  }

  private byte[] bytes(int n) {
    byte[] b = new byte[n];
    random.nextBytes(b);
    return b;
  }

  /** Who holds a key in force, and what it may do. */
  public record KeyHolder(Caller caller, Set<String> roles) {}
}
