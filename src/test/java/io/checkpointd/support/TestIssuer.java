package io.checkpointd.support;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyFactory;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.PrivateKey;
import java.security.spec.PKCS8EncodedKeySpec;
import java.time.Duration;
import java.time.Instant;
import java.util.Base64;
import java.util.List;
import org.jose4j.jws.AlgorithmIdentifiers;
import org.jose4j.jws.JsonWebSignature;
import org.jose4j.jwt.JwtClaims;
import org.jose4j.jwt.NumericDate;
import org.jose4j.lang.JoseException;

/**
 * An identity provider for tests: an RSA key pair made once per build under {@code target/}, whose
 * public half the service is configured with ({@link JwtConfigured}), and tokens signed with it. No
 * private key is committed; the profile and the tests meet through the files.
 */
public final class TestIssuer {

  public static final String ISSUER = "https://idp.checkpointd.test/realms/acme";

  private static final Path DIR = Path.of("target", "jwt-test-issuer");
  private static final Path PUBLIC = DIR.resolve("public.pem");
  private static final Path PRIVATE = DIR.resolve("private.der");

  private TestIssuer() {}

  /** The public key's PEM file, made if missing: what {@code mp.jwt.verify.publickey.location} names. */
  public static synchronized Path publicKeyFile() {
    if (!Files.exists(PRIVATE)) {
      KeyPair pair = newKeyPair();
      try {
        Files.createDirectories(DIR);
        Files.writeString(PUBLIC, "-----BEGIN PUBLIC KEY-----\n"
            + Base64.getMimeEncoder().encodeToString(pair.getPublic().getEncoded()) + "\n-----END PUBLIC KEY-----\n",
            StandardCharsets.US_ASCII);
        Files.write(PRIVATE, pair.getPrivate().getEncoded());
      } catch (IOException e) {
        throw new UncheckedIOException(e);
      }
    }
    return PUBLIC.toAbsolutePath();
  }

  /** A token of this issuer for {@code subject}, valid for ten minutes. */
  public static Token token(String subject) {
    return new Token(subject);
  }

  public static KeyPair newKeyPair() {
    try {
      KeyPairGenerator generator = KeyPairGenerator.getInstance("RSA");
      generator.initialize(2048);
      return generator.generateKeyPair();
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException(e);
    }
  }

  private static PrivateKey privateKey() {
    publicKeyFile();
    try {
      return KeyFactory.getInstance("RSA").generatePrivate(new PKCS8EncodedKeySpec(Files.readAllBytes(PRIVATE)));
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException(e);
    }
  }

  /** A token being made: claims first, then {@link #signed()}. */
  public static final class Token {
    private final JwtClaims claims = new JwtClaims();
    private PrivateKey key;

    private Token(String subject) {
      claims.setIssuer(ISSUER);
      claims.setSubject(subject);
      claims.setIssuedAtToNow();
      claims.setExpirationTime(NumericDate.fromSeconds(Instant.now().plus(Duration.ofMinutes(10)).getEpochSecond()));
    }

    public Token tenant(String tenant) {
      claims.setClaim("tenant", tenant);
      return this;
    }

    public Token groups(String... groups) {
      claims.setStringListClaim("groups", List.of(groups));
      return this;
    }

    public Token claim(String name, Object value) {
      claims.setClaim(name, value);
      return this;
    }

    public Token issuer(String issuer) {
      claims.setIssuer(issuer);
      return this;
    }

    /** Issued two hours ago, expired an hour ago: beyond any clock skew allowed. */
    public Token expired() {
      Instant now = Instant.now();
      claims.setIssuedAt(NumericDate.fromSeconds(now.minus(Duration.ofHours(2)).getEpochSecond()));
      claims.setExpirationTime(NumericDate.fromSeconds(now.minus(Duration.ofHours(1)).getEpochSecond()));
      return this;
    }

    /** Signed with another key than the one the service trusts. */
    public Token signedBy(PrivateKey other) {
      this.key = other;
      return this;
    }

    public String signed() {
      JsonWebSignature jws = new JsonWebSignature();
      jws.setPayload(claims.toJson());
      jws.setKey(key != null ? key : privateKey());
      jws.setAlgorithmHeaderValue(AlgorithmIdentifiers.RSA_USING_SHA256);
      jws.setHeader("typ", "JWT");
      try {
        return jws.getCompactSerialization();
      } catch (JoseException e) {
        throw new IllegalStateException(e);
      }
    }

    @Override
    public String toString() {
      return claims.toJson();
    }
  }
}
