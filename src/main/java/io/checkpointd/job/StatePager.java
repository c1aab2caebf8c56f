package io.checkpointd.job;

import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonPointer;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.core.filter.FilteringParserDelegate;
import com.fasterxml.jackson.core.filter.JsonPointerBasedFilter;
import com.fasterxml.jackson.core.filter.TokenFilter;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.checkpointd.config.CheckpointdConfig;
import io.checkpointd.kind.InvalidParamsException;
import io.checkpointd.model.Caller;
import io.checkpointd.model.CheckpointBytes;
import io.checkpointd.model.StoredCheckpoint;
import io.checkpointd.model.UnreadableStateException;
import io.checkpointd.persistence.CheckpointStore;
import jakarta.enterprise.context.ApplicationScoped;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;

/**
 * Reads a part of a checkpoint's state, however large the state: the stored bytes are inflated and
 * parsed as a stream, only the page is built as a tree, and each element of it is copied into a
 * buffer that stops at the response's byte budget. A state of 64 MiB costs one pass over it, never
 * 64 MiB of memory.
 */
@ApplicationScoped
public class StatePager {

  public static final int DEFAULT_LIMIT = 100;
  public static final int MAX_LIMIT = 10_000;

  private final JobService jobs;
  private final CheckpointStore checkpoints;
  private final ObjectMapper mapper;
  private final int maxPageBytes;

  StatePager(JobService jobs, CheckpointStore checkpoints, ObjectMapper mapper, CheckpointdConfig config) {
    this.jobs = jobs;
    this.checkpoints = checkpoints;
    this.mapper = mapper;
    this.maxPageBytes = Math.min(Math.max(1, config.checkpoints().maxRenderBytes()), CheckpointInspector.MAX_RENDER_BYTES);
  }

  /** The page of checkpoint {@code seq}'s state at {@code at} ("" or null: the whole state). */
  public StatePage page(Caller caller, String id, long seq, String at, int offset, int limit) {
    JsonPointer pointer = pointer(at);
    if (offset < 0) {
      throw new InvalidParamsException("offset", "must be 0 or more, was " + offset);
    }
    if (limit < 1 || limit > MAX_LIMIT) {
      throw new InvalidParamsException("limit", "must be between 1 and " + MAX_LIMIT + ", was " + limit);
    }
    UUID jobId = jobs.get(caller, id).id();
    StoredCheckpoint c = checkpoints.find(jobId, seq).orElseThrow(() -> new NoCheckpointException(
        "job " + id + " has no retained checkpoint " + seq + "; GET /jobs/" + id + "/checkpoints lists those it keeps"));
    try (InputStream in = CheckpointBytes.open(c); JsonParser parser = parser(in, pointer)) {
      JsonToken first = parser.nextToken();
      if (first == null) {
        throw new InvalidParamsException("at", "checkpoint " + seq + "'s state has no value at '" + pointer + "'");
      }
      String path = pointer.toString();
      return switch (first) {
        case START_ARRAY -> elements(parser, seq, path, offset, limit);
        case START_OBJECT -> members(parser, seq, path, offset, limit);
        default -> plain(parser, seq, path, first);
      };
    } catch (IOException | UnreadableStateException e) {
      throw new InvalidStateException("checkpoint " + seq + " of job " + id + " holds no readable JSON (" + e.getMessage()
          + "); GET /jobs/" + id + "/checkpoints/" + seq + " shows it as stored");
    }
  }

  /** A parser that yields only the value at {@code pointer} (the filter matches no root, so none for it). */
  private JsonParser parser(InputStream in, JsonPointer pointer) throws IOException {
    JsonParser whole = mapper.getFactory().createParser(in);
    return pointer.matches() ? whole
        : new FilteringParserDelegate(whole, new JsonPointerBasedFilter(pointer), TokenFilter.Inclusion.ONLY_INCLUDE_ALL, false);
  }

  private StatePage elements(JsonParser parser, long seq, String at, int offset, int limit) throws IOException {
    ArrayNode items = mapper.createArrayNode();
    Page page = new Page(offset, limit);
    int index = 0;
    for (JsonToken t = parser.nextToken(); t != null && t != JsonToken.END_ARRAY; t = parser.nextToken()) {
      if (page.wants(index)) {
        JsonNode item = page.take(parser, at + "/" + index, index);
        if (!page.ended()) {
          items.add(item);
        }
      } else {
        parser.skipChildren();
      }
      index++;
    }
    return page.result(seq, at, "array", index, items);
  }

  private StatePage members(JsonParser parser, long seq, String at, int offset, int limit) throws IOException {
    ObjectNode items = mapper.createObjectNode();
    Page page = new Page(offset, limit);
    int index = 0;
    while (parser.nextToken() == JsonToken.FIELD_NAME) {
      String name = parser.currentName();
      parser.nextToken();
      if (page.wants(index)) {
        JsonNode item = page.take(parser, at + "/" + escape(name), index);
        if (!page.ended()) {
          items.set(name, item);
        }
      } else {
        parser.skipChildren();
      }
      index++;
    }
    return page.result(seq, at, "object", index, items);
  }

  private StatePage plain(JsonParser parser, long seq, String at, JsonToken token) throws IOException {
    JsonNode value = copy(parser, maxPageBytes);
    if (value == null) {
      throw new StateTooLargeToRenderException("the value at '" + at + "' of checkpoint " + seq + " has more than "
          + maxPageBytes + " bytes (checkpointd.checkpoints.max-render-bytes)");
    }
    return new StatePage(seq, at, type(token), null, null, null, null, value, null, null);
  }

  /** One page's elements: which it takes, the bytes it has left, where the next one starts. */
  private final class Page {
    private final int offset;
    private final int limit;
    private final List<String> omitted = new ArrayList<>();
    private int taken;
    private long bytesLeft = maxPageBytes;
    private Integer next;

    Page(int offset, int limit) {
      this.offset = offset;
      this.limit = limit;
    }

    boolean wants(int index) {
      return next == null && index >= offset && index < offset + limit;
    }

    /** The element the parser is on, or null: omitted if alone too large, or the page ends before it. */
    JsonNode take(JsonParser parser, String at, int index) throws IOException {
      JsonNode node = copy(parser, bytesLeft);
      if (node == null) {
        if (taken == 0) {
          omitted.add(at);
        } else {
          next = index;
          return null;
        }
      } else {
        bytesLeft -= node.toString().length();
      }
      taken++;
      return node;
    }

    boolean ended() {
      return next != null;
    }

    StatePage result(long seq, String at, String type, int size, JsonNode items) {
      Integer nextOffset = next != null ? next : offset + limit < size ? Integer.valueOf(offset + limit) : null;
      return new StatePage(seq, at, type, size, offset, limit, items, null, omitted.isEmpty() ? null : omitted, nextOffset);
    }
  }

  /**
   * The value the parser is on, as a tree, if its JSON fits in {@code maxBytes}; otherwise null,
   * with the parser moved past it all the same.
   */
  private JsonNode copy(JsonParser parser, long maxBytes) throws IOException {
    Bounded out = new Bounded(maxBytes);
    int depth = 0;
    try (JsonGenerator g = mapper.getFactory().createGenerator(out)) {
      g.disable(JsonGenerator.Feature.AUTO_CLOSE_JSON_CONTENT);
      JsonToken t = parser.currentToken();
      while (true) {
        depth += t.isStructStart() ? 1 : t.isStructEnd() ? -1 : 0;
        if (!out.over) {
          g.copyCurrentEvent(parser);
          if (out.size() + g.getOutputBuffered() > maxBytes) {
            out.over = true;
          }
        }
        if (depth == 0) {
          break;
        }
        t = parser.nextToken();
        if (t == null) {
          throw new IOException("the state ends inside a value");
        }
      }
      if (out.over) {
        return null;
      }
      g.flush();
      return mapper.readTree(out.toByteArray());
    }
  }

  /** A buffer that stops taking bytes past its limit (the rest of the value is then only skipped). */
  private static final class Bounded extends ByteArrayOutputStream {
    private final long limit;
    boolean over;

    Bounded(long limit) {
      this.limit = limit;
    }

    @Override
    public synchronized void write(byte[] b, int off, int len) {
      if (over || count + (long) len > limit) {
        over = true;
        return;
      }
      super.write(b, off, len);
    }

    @Override
    public synchronized void write(int b) {
      write(new byte[] {(byte) b}, 0, 1);
    }
  }

  private static String type(JsonToken token) {
    return switch (token) {
      case VALUE_STRING -> "string";
      case VALUE_NUMBER_INT, VALUE_NUMBER_FLOAT -> "number";
      case VALUE_TRUE, VALUE_FALSE -> "boolean";
      case VALUE_NULL -> "null";
      default -> "object";
    };
  }

  private static JsonPointer pointer(String at) {
    if (at == null || at.isEmpty()) {
      return JsonPointer.empty();
    }
    try {
      return JsonPointer.compile(at);
    } catch (IllegalArgumentException e) {
      throw new InvalidParamsException("at", "must be a JSON Pointer (RFC 6901) such as /data/0, was " + at);
    }
  }

  private static String escape(String name) {
    return name.replace("~", "~0").replace("/", "~1");
  }
}
