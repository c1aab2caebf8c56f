package io.checkpointd.api;

import java.util.List;

/** One page of {@code GET /jobs}; pass {@code nextCursor} as {@code cursor} for the next (null at the end). */
public record JobPage(List<JobView> items, String nextCursor) {}
