package io.checkpointd.auth;

import io.checkpointd.model.ApiKey;

/** A new key and the key itself, which is shown this once and stored only as a hash. */
public record CreatedKey(ApiKey stored, String key) {}
