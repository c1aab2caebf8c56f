package io.checkpointd.embedded;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.SecureRandom;
import java.util.Base64;
import java.util.Optional;

/**
 * The embedded server's superuser password: random at the first start, then kept in a file only
 * the service's user can read, inside the data directory (itself 0700), so later starts reuse it.
 */
final class SuperuserPassword {

  static final String FILE = "checkpointd-superuser.password";

  private SuperuserPassword() {}

  static Optional<String> read(Path dataDir) throws IOException {
    Path file = dataDir.resolve(FILE);
    return Files.exists(file) ? Optional.of(Files.readString(file, StandardCharsets.UTF_8).trim()) : Optional.empty();
  }

  /** 256 random bits, base64url: no character that needs quoting in SQL, a URL or a file. */
  static String generate() {
    byte[] bytes = new byte[32];
    new SecureRandom().nextBytes(bytes);
    return Base64.getUrlEncoder().withoutPadding().encodeToString(bytes);
  }

  /** Writes {@code password} to {@code file}, created 0600 (never readable by others, not even briefly). */
  static void writeTo(Path file, String password) throws IOException {
    Path tmp = Files.createTempFile(file.toAbsolutePath().getParent(), FILE, ".tmp",
        PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-------")));
    Files.writeString(tmp, password + "\n", StandardCharsets.UTF_8);
    Files.move(tmp, file, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
  }

  static void write(Path dataDir, String password) throws IOException {
    writeTo(dataDir.resolve(FILE), password);
  }
}
