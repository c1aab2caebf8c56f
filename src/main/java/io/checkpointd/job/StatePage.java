package io.checkpointd.job;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.List;

/**
 * A part of one checkpoint's state: the value at {@code at} (a JSON Pointer), whole when it is a
 * number, string, boolean or null; an array's elements or an object's members from {@code offset},
 * at most {@code limit} of them, within the byte budget of a response.
 *
 * @param type "array", "object", "string", "number", "boolean" or "null"
 * @param size an array's elements or an object's members, all of them
 * @param items the page: an array of elements or an object of members; null for a plain value
 * @param value the plain value; null for an array or object
 * @param omitted elements or members of the page left out (null in {@code items}) because each
 *     alone is larger than a response may be: read them with their own {@code at}
 * @param nextOffset where the next page starts; null on the last
 */
public record StatePage(
    long seq, String at, String type, Integer size, Integer offset, Integer limit, JsonNode items, JsonNode value,
    List<String> omitted, Integer nextOffset) {}
