package io.checkpointd.config;

import jakarta.enterprise.context.ApplicationScoped;
import java.net.InetAddress;
import java.net.UnknownHostException;

/** The name this instance writes into the leases it holds. */
@ApplicationScoped
public class InstanceId {

  private final String value;

  InstanceId(CheckpointdConfig config) {
    this.value = config.instanceId().filter(s -> !s.isBlank()).orElseGet(InstanceId::hostName);
  }

  public String value() {
    return value;
  }

  private static String hostName() {
    String fromEnv = System.getenv("HOSTNAME");
    if (fromEnv != null && !fromEnv.isBlank()) {
      return fromEnv;
    }
    try {
      return InetAddress.getLocalHost().getHostName();
    } catch (UnknownHostException e) {
      return "checkpointd";
    }
  }

  @Override
  public String toString() {
    return value;
  }
}
