package io.checkpointd.api;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.fail;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.checkpointd.support.EmbeddedPostgresResource;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.http.ContentType;
import io.swagger.v3.oas.models.OpenAPI;
import io.swagger.v3.oas.models.Operation;
import io.swagger.v3.oas.models.PathItem;
import io.swagger.v3.oas.models.media.Content;
import io.swagger.v3.oas.models.media.MediaType;
import io.swagger.v3.oas.models.media.Schema;
import io.swagger.v3.oas.models.parameters.Parameter;
import io.swagger.v3.oas.models.responses.ApiResponse;
import io.swagger.v3.parser.OpenAPIV3Parser;
import io.swagger.v3.parser.core.models.ParseOptions;
import io.swagger.v3.parser.core.models.SwaggerParseResult;
import jakarta.inject.Inject;
import java.io.IOException;
import java.math.BigDecimal;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.stream.Collectors;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Keeps the hand-written {@code openapi.yaml} (project root) and the API the service really serves
 * from drifting apart.
 *
 * <p>The served side is the document SmallRye OpenAPI generates from the JAX-RS resources at
 * {@code /q/openapi}. It is exact about what the code declares: paths, methods, parameter names,
 * the records that are read and written, their JSON property names and enum values. It is not
 * exact about what the code only does at run time, so those parts are not compared:
 *
 * <ul>
 *   <li>Status codes: methods that return {@code Response} (create, pause, resume, cancel, delete)
 *       are all generated as "200 with any body", and the error codes come from exception mappers
 *       that SmallRye does not see. openapi.yaml is the authority for codes.
 *   <li>Parameter types: {@code limit} is a String in the code (to report bad values as a problem),
 *       generated as {@code string}; openapi.yaml documents the integer a client sends.
 *   <li>The schemas listed in {@link #NOT_COMPARED}, for the reasons given there.
 *   <li>Problem documents: no resource method returns {@link Problem}, so the generated document
 *       has no schema for it. Instead {@link #every_member_of_a_problem_the_service_answers_is_documented}
 *       checks openapi.yaml against Problem as Jackson writes it and against real error responses.
 * </ul>
 *
 * <p>Job kinds are plugged in at run time, so their parameters are compared with {@code GET /kinds}.
 */
@QuarkusTest
@WithTestResource(EmbeddedPostgresResource.class)
class OpenApiContractTest {

  private static final Path COMMITTED = Path.of("openapi.yaml");

  /**
   * The one list of generated schemas that are not compared with openapi.yaml, and why. Every other
   * schema of the served document that has properties (a record) or enum values (an enum) must be
   * in openapi.yaml under the same name with the same property names or values. (Generated schemas
   * of plain values, UUID and OffsetDateTime, have neither; openapi.yaml writes them inline as
   * strings with a format.)
   */
  private static final Map<String, String> NOT_COMPARED =
      Map.of(
          "JsonNode",
          "Jackson's JsonNode (params, result, checkpoint state) is generated from its Java getters (empty, valueNode,"
              + " array, ...), which are not JSON members; openapi.yaml describes those values per kind instead",
          "JsonNodeType", "an enum that only the generated JsonNode schema uses",
          "Problem",
          "not generated today (only exception mappers answer it); if it ever is, its @JsonAnyGetter map would appear"
              + " as a property 'extensions' that Jackson never writes. every_member_of_a_problem_the_service_answers_is_documented"
              + " compares it with what Jackson really writes");

  /** Kinds that exist only in the test sources and are not part of the public API. */
  private static final Set<String> TEST_ONLY_KINDS = Set.of("flaky", "tally");

  private static final String FIX_YAML = "openapi.yaml (project root)";

  @Inject ObjectMapper mapper;

  private OpenAPI committed;
  private OpenAPI served;

  @BeforeEach
  void parseBothDocuments() throws IOException {
    SwaggerParseResult yaml = parse(Files.readString(COMMITTED));
    assertThat(yaml.getOpenAPI())
        .as("%s cannot be parsed as OpenAPI: %s", COMMITTED.toAbsolutePath(), yaml.getMessages())
        .isNotNull();
    committed = yaml.getOpenAPI();

    String json = given().accept(ContentType.JSON).queryParam("format", "json")
        .when().get("/q/openapi")
        .then().statusCode(200)
        .extract().asString();
    SwaggerParseResult generated = parse(json);
    assertThat(generated.getOpenAPI()).as("the served /q/openapi cannot be parsed: %s", generated.getMessages()).isNotNull();
    served = generated.getOpenAPI();
  }

  @Test
  void the_committed_openapi_yaml_is_a_valid_openapi_document() throws IOException {
    List<String> messages = parse(Files.readString(COMMITTED)).getMessages();
    if (!messages.isEmpty()) {
      fail(FIX_YAML + " is not a valid OpenAPI document; fix these places in it:\n  - " + String.join("\n  - ", messages));
    }
  }

  @Test
  void every_served_operation_is_documented_and_nothing_else() {
    Map<String, String> servedOps = operations(served).keySet().stream().collect(byKey());
    Map<String, String> committedOps = operations(committed).keySet().stream().collect(byKey());
    List<String> drift = new ArrayList<>();
    servedOps.forEach((key, op) -> {
      if (!committedOps.containsKey(key)) {
        drift.add(op + " is served but not in openapi.yaml: document it under paths (parameters, request body, responses)");
      }
    });
    committedOps.forEach((key, op) -> {
      if (!servedOps.containsKey(key)) {
        drift.add(op + " is in openapi.yaml but the service does not serve it: remove it from openapi.yaml"
            + " (or check the path and method of the resource method)");
      }
    });
    assertNoDrift("operations", drift);
  }

  @Test
  void every_operation_documents_exactly_the_parameters_the_service_reads() {
    Map<OpKey, Operation> committedOps = operations(committed);
    List<String> drift = new ArrayList<>();
    operations(served).forEach((key, servedOp) -> {
      OpKey committedKey = find(committedOps, key);
      if (committedKey == null) {
        return; // reported by every_served_operation_is_documented_and_nothing_else
      }
      Map<String, String> servedParams = parameters(served, key, servedOp);
      Map<String, String> committedParams = parameters(committed, committedKey, committedOps.get(committedKey));
      for (String p : difference(servedParams.keySet(), committedParams.keySet())) {
        drift.add(key + ": the service reads the " + servedParams.get(p) + " but openapi.yaml does not document it;"
            + " add it to the parameters of " + committedKey + " in " + FIX_YAML);
      }
      for (String p : difference(committedParams.keySet(), servedParams.keySet())) {
        drift.add(committedKey + ": openapi.yaml documents the " + committedParams.get(p) + " but the service does not read it;"
            + " remove it from " + FIX_YAML + " (or check the parameter's name in the resource method)");
      }
    });
    assertNoDrift("parameters", drift);
  }

  @Test
  void every_record_the_service_reads_or_writes_has_the_same_properties_in_openapi_yaml() {
    Map<String, Schema> committedSchemas = schemas(committed);
    List<String> drift = new ArrayList<>();
    schemas(served).forEach((name, servedSchema) -> {
      if (NOT_COMPARED.containsKey(name) || servedSchema.getProperties() == null || servedSchema.getProperties().isEmpty()) {
        return;
      }
      Set<String> servedProps = new TreeSet<>(servedSchema.getProperties().keySet());
      Schema<?> mine = committedSchemas.get(name);
      if (mine == null) {
        drift.add("schema " + name + " is served (a record the API reads or writes) but openapi.yaml has no"
            + " components.schemas." + name + ": add it with the properties " + servedProps);
        return;
      }
      Set<String> mineProps = mine.getProperties() == null ? Set.of() : new TreeSet<>(mine.getProperties().keySet());
      for (String p : difference(servedProps, mineProps)) {
        drift.add("schema " + name + ": property '" + p + "' is served but missing in openapi.yaml;"
            + " add it to components.schemas." + name + ".properties in " + FIX_YAML);
      }
      for (String p : difference(mineProps, servedProps)) {
        drift.add("schema " + name + ": property '" + p + "' is in openapi.yaml but the service no longer has it;"
            + " remove it from components.schemas." + name + ".properties in " + FIX_YAML
            + " (or check the record component's name)");
      }
    });
    assertNoDrift("schema properties", drift);
  }

  @Test
  void every_enum_the_service_uses_has_the_same_values_in_openapi_yaml() {
    Map<String, Schema> committedSchemas = schemas(committed);
    List<String> drift = new ArrayList<>();
    schemas(served).forEach((name, servedSchema) -> {
      if (NOT_COMPARED.containsKey(name) || servedSchema.getEnum() == null || servedSchema.getEnum().isEmpty()) {
        return;
      }
      Set<String> servedValues = enumValues(servedSchema);
      Schema<?> mine = committedSchemas.get(name);
      if (mine == null || mine.getEnum() == null) {
        drift.add("enum " + name + " is served but openapi.yaml has no components.schemas." + name + " with an enum:"
            + " add it with the values " + servedValues);
        return;
      }
      Set<String> mineValues = enumValues(mine);
      for (String v : difference(servedValues, mineValues)) {
        drift.add("enum " + name + ": value " + v + " is served but missing in openapi.yaml;"
            + " add it to components.schemas." + name + ".enum in " + FIX_YAML);
      }
      for (String v : difference(mineValues, servedValues)) {
        drift.add("enum " + name + ": value " + v + " is in openapi.yaml but the service no longer has it;"
            + " remove it from components.schemas." + name + ".enum in " + FIX_YAML);
      }
    });
    assertNoDrift("enum values", drift);
  }

  @Test
  void every_operation_documents_the_request_and_response_bodies_the_service_declares() {
    Map<OpKey, Operation> committedOps = operations(committed);
    List<String> drift = new ArrayList<>();
    operations(served).forEach((key, servedOp) -> {
      OpKey committedKey = find(committedOps, key);
      if (committedKey == null) {
        return;
      }
      Operation mine = committedOps.get(committedKey);

      String servedRequest = servedOp.getRequestBody() == null ? null : shape(servedOp.getRequestBody().getContent());
      String mineRequest = mine.getRequestBody() == null ? null : shape(mine.getRequestBody().getContent());
      if (!Objects.equals(servedRequest, mineRequest)) {
        drift.add(key + ": the service reads a request body of " + describe(servedRequest) + " but openapi.yaml documents "
            + describe(mineRequest) + "; change the requestBody of " + committedKey + " in " + FIX_YAML);
      }

      // Only the success bodies the generator knows: a method returning a record or a list of
      // records. Methods returning Response are generated as "200 with any body" (shape null).
      for (Map.Entry<String, ApiResponse> r : servedOp.getResponses().entrySet()) {
        String servedShape = r.getKey().startsWith("2") ? shape(r.getValue().getContent()) : null;
        if (servedShape == null) {
          continue;
        }
        Set<String> mineShapes = successShapes(committed, mine);
        if (!mineShapes.contains(servedShape)) {
          drift.add(key + ": the service answers " + r.getKey() + " with " + describe(servedShape)
              + " but openapi.yaml documents " + (mineShapes.isEmpty() ? "no JSON success body" : mineShapes)
              + "; change the 2xx response of " + committedKey + " in " + FIX_YAML);
        }
      }
    });
    assertNoDrift("request and response bodies", drift);
  }

  @Test
  void every_member_of_a_problem_the_service_answers_is_documented() throws IOException {
    Map<String, Schema> committedSchemas = schemas(committed);
    List<String> drift = new ArrayList<>();

    // Problem and FieldError exactly as Jackson writes them (every member set; the extensions
    // map of @JsonAnyGetter is flattened, so it contributes no member of its own).
    JsonNode problem = mapper.valueToTree(
        new Problem("t", "t", 400, "d", "/i", List.of(new Problem.FieldError("f", "m")), Map.of()));
    compareMembers("Problem", fieldNames(problem), propertiesOf(committedSchemas.get("Problem")), drift);
    compareMembers("FieldError", fieldNames(problem.get("errors").get(0)),
        propertiesOf(committedSchemas.get("FieldError")), drift);

    // Real problems: every member they carry must be documented somewhere in the problem schemas.
    Set<String> documented = new TreeSet<>(propertiesOf(committedSchemas.get("Problem")));
    Schema<?> commandProblem = committedSchemas.get("CommandProblem");
    if (commandProblem != null && commandProblem.getAllOf() != null) {
      for (Schema<?> part : commandProblem.getAllOf()) {
        documented.addAll(propertiesOf(part.get$ref() == null ? part : committedSchemas.get(refName(part.get$ref()))));
      }
    }
    String active = given().contentType(ContentType.JSON)
        .body("{\"kind\":\"squares\",\"params\":{\"limit\":10000,\"delayMs\":60000}}")
        .when().post("/jobs").then().statusCode(201).extract().path("id");
    try {
      List<JsonNode> problems = List.of(
          problemAt(given().when().get("/jobs?limit=0").then().statusCode(400).extract().asString()),
          problemAt(given().when().delete("/jobs/" + active).then().statusCode(409).extract().asString()));
      for (JsonNode p : problems) {
        for (String member : fieldNames(p)) {
          if (!documented.contains(member)) {
            drift.add("a " + p.path("status").asInt() + " " + p.path("type").asText() + " problem has the member '" + member
                + "' but neither components.schemas.Problem nor CommandProblem documents it; add it in " + FIX_YAML);
          }
        }
      }
    } finally {
      // A cancel cuts the job's wait short: it frees its worker at once for the other tests.
      given().when().post("/jobs/" + active + "/cancel");
      await().atMost(Duration.ofSeconds(10)).until(() -> "CANCELLED".equals(given().get("/jobs/" + active).path("status")));
    }
    assertNoDrift("problem documents", drift);
  }

  @Test
  void every_job_kind_is_documented_with_its_parameters_defaults_and_limits() throws IOException {
    Map<String, Schema> committedSchemas = schemas(committed);
    JsonNode kinds = mapper.readTree(given().when().get("/kinds").then().statusCode(200).extract().asString());
    List<String> drift = new ArrayList<>();

    Set<String> servedKinds = new TreeSet<>();
    // external kinds are declared at run time by workers (and by other tests): not part of the spec
    kinds.forEach(k -> {
      if (!"external".equals(k.path("runs").asText())) {
        servedKinds.add(k.get("name").asText());
      }
    });
    servedKinds.removeAll(TEST_ONLY_KINDS);
    Schema<?> request = committedSchemas.get("CreateJobRequest");
    Schema<?> kindProperty = request == null || request.getProperties() == null ? null : request.getProperties().get("kind");
    Set<String> documentedKinds = kindProperty == null || kindProperty.getEnum() == null ? Set.of() : enumValues(kindProperty);
    for (String k : difference(servedKinds, documentedKinds)) {
      drift.add("kind " + k + " is served (GET /kinds) but not in components.schemas.CreateJobRequest.properties.kind.enum;"
          + " add it there and a schema " + paramsSchema(k) + " in " + FIX_YAML);
    }
    for (String k : difference(documentedKinds, servedKinds)) {
      drift.add("kind " + k + " is in components.schemas.CreateJobRequest.properties.kind.enum but GET /kinds does not list it;"
          + " remove it (and " + paramsSchema(k) + ") from " + FIX_YAML);
    }

    for (JsonNode kind : kinds) {
      String name = kind.get("name").asText();
      if (TEST_ONLY_KINDS.contains(name) || !servedKinds.contains(name)) {
        continue;
      }
      String schemaName = paramsSchema(name);
      Schema<?> params = committedSchemas.get(schemaName);
      if (params == null || params.getProperties() == null) {
        drift.add("kind " + name + ": openapi.yaml has no components.schemas." + schemaName
            + " with its parameters; add one property per parameter of GET /kinds");
        continue;
      }
      Set<String> servedParams = new TreeSet<>();
      for (JsonNode spec : kind.get("parameters")) {
        String p = spec.get("name").asText();
        servedParams.add(p);
        Schema<?> mine = params.getProperties().get(p);
        if (mine == null) {
          continue; // reported below
        }
        String where = "components.schemas." + schemaName + ".properties." + p;
        compareValue(name, p, "type", spec.get("type").asText(), typeOf(mine), where + ".type", drift);
        compareNumber(name, p, "default", spec.get("defaultValue"), mine.getDefault(), where + ".default", drift);
        compareNumber(name, p, "minimum", spec.get("minimum"), mine.getMinimum(), where + ".minimum", drift);
        compareNumber(name, p, "maximum", spec.get("maximum"), mine.getMaximum(), where + ".maximum", drift);
      }
      Set<String> documentedParams = params.getProperties().keySet();
      for (String p : difference(servedParams, documentedParams)) {
        drift.add("kind " + name + ": parameter '" + p + "' is served (GET /kinds) but missing in openapi.yaml;"
            + " add it to components.schemas." + schemaName + ".properties in " + FIX_YAML);
      }
      for (String p : difference(documentedParams, servedParams)) {
        drift.add("kind " + name + ": parameter '" + p + "' is in openapi.yaml but the kind no longer has it;"
            + " remove it from components.schemas." + schemaName + ".properties in " + FIX_YAML);
      }
    }
    assertNoDrift("job kinds", drift);
  }

  // ---- Documents -------------------------------------------------------------------------------

  private static SwaggerParseResult parse(String text) {
    ParseOptions options = new ParseOptions();
    options.setResolve(false); // keep $refs: schemas are compared by their component names
    return new OpenAPIV3Parser().readContents(text, null, options);
  }

  /** A path and method; paths compare with their template variables' names blanked out. */
  private record OpKey(String method, String path) {

    String normalized() {
      String p = path.replaceAll("\\{[^}/]+}", "{}");
      return method + " " + (p.length() > 1 && p.endsWith("/") ? p.substring(0, p.length() - 1) : p);
    }

    @Override
    public String toString() {
      return method + " " + path;
    }
  }

  private static Map<OpKey, Operation> operations(OpenAPI api) {
    Map<OpKey, Operation> ops = new LinkedHashMap<>();
    if (api.getPaths() == null) {
      return ops;
    }
    new TreeMap<>(api.getPaths()).forEach((path, item) -> {
      if (path.equals("/q") || path.startsWith("/q/")) {
        return; // Quarkus' own endpoints (health, openapi): not part of the API
      }
      item.readOperationsMap().forEach((method, op) -> ops.put(new OpKey(method.name(), path), op));
    });
    return ops;
  }

  private static java.util.stream.Collector<OpKey, ?, Map<String, String>> byKey() {
    return Collectors.toMap(OpKey::normalized, OpKey::toString, (a, b) -> a, TreeMap::new);
  }

  private static OpKey find(Map<OpKey, Operation> ops, OpKey key) {
    return ops.keySet().stream().filter(k -> k.normalized().equals(key.normalized())).findFirst().orElse(null);
  }

  /**
   * The parameters of the path item and of the operation, keyed by where they are and their name
   * ("query limit"; header names in lower case, as HTTP compares them), each with a readable
   * description ("query parameter limit", "header Idempotency-Key").
   */
  private static Map<String, String> parameters(OpenAPI api, OpKey key, Operation op) {
    List<Parameter> all = new ArrayList<>();
    PathItem item = api.getPaths().get(key.path());
    if (item.getParameters() != null) {
      all.addAll(item.getParameters());
    }
    if (op.getParameters() != null) {
      all.addAll(op.getParameters());
    }
    Map<String, String> params = new TreeMap<>();
    for (Parameter p : all) {
      Parameter resolved = p;
      if (p.get$ref() != null) {
        resolved = api.getComponents() == null || api.getComponents().getParameters() == null
            ? null
            : api.getComponents().getParameters().get(refName(p.get$ref()));
        if (resolved == null) {
          params.put("unresolved " + p.get$ref(), "parameter " + p.get$ref() + " (which does not resolve)");
          continue;
        }
      }
      boolean header = "header".equals(resolved.getIn());
      String name = header ? resolved.getName().toLowerCase(Locale.ROOT) : resolved.getName();
      params.put(resolved.getIn() + " " + name, (header ? "header " : resolved.getIn() + " parameter ") + resolved.getName());
    }
    return params;
  }

  private static Map<String, Schema> schemas(OpenAPI api) {
    return api.getComponents() == null || api.getComponents().getSchemas() == null
        ? Map.of()
        : api.getComponents().getSchemas();
  }

  /**
   * The JSON body of a content map as a comparable shape: {@code JobView}, {@code array of
   * EventView}; null when there is no JSON body or it is not a named schema (e.g. the generator's
   * empty schema for {@code Response}).
   */
  private static String shape(Content content) {
    if (content == null) {
      return null;
    }
    MediaType json = content.get("application/json");
    if (json == null || json.getSchema() == null) {
      return null;
    }
    Schema<?> s = json.getSchema();
    if (s.get$ref() != null) {
      return refName(s.get$ref());
    }
    if (s.getItems() != null && s.getItems().get$ref() != null) {
      return "array of " + refName(s.getItems().get$ref());
    }
    return null;
  }

  private static Set<String> successShapes(OpenAPI api, Operation op) {
    Set<String> shapes = new LinkedHashSet<>();
    if (op.getResponses() == null) {
      return shapes;
    }
    op.getResponses().forEach((code, response) -> {
      if (!code.startsWith("2")) {
        return;
      }
      ApiResponse r = response;
      if (r.get$ref() != null && api.getComponents() != null && api.getComponents().getResponses() != null) {
        r = api.getComponents().getResponses().get(refName(r.get$ref()));
      }
      String shape = r == null ? null : shape(r.getContent());
      if (shape != null) {
        shapes.add(shape);
      }
    });
    return shapes;
  }

  private static String describe(String shape) {
    return shape == null ? "no JSON body of a named schema" : shape;
  }

  private static String refName(String ref) {
    return ref.substring(ref.lastIndexOf('/') + 1);
  }

  private static Set<String> enumValues(Schema<?> schema) {
    return schema.getEnum().stream().filter(Objects::nonNull).map(String::valueOf).collect(Collectors.toCollection(TreeSet::new));
  }

  private static Set<String> propertiesOf(Schema<?> schema) {
    return schema == null || schema.getProperties() == null ? Set.of() : new TreeSet<>(schema.getProperties().keySet());
  }

  private static String typeOf(Schema<?> schema) {
    if (schema.getType() != null) {
      return schema.getType();
    }
    // OpenAPI 3.1 documents may give a list of types (["integer", "null"])
    return schema.getTypes() == null ? null
        : schema.getTypes().stream().filter(t -> !"null".equals(t)).findFirst().orElse(null);
  }

  private static String paramsSchema(String kind) {
    return Character.toUpperCase(kind.charAt(0)) + kind.substring(1) + "Params";
  }

  // ---- Comparisons -----------------------------------------------------------------------------

  private static Set<String> difference(Set<String> a, Set<String> b) {
    Set<String> d = new TreeSet<>(a);
    d.removeAll(b);
    return d;
  }

  private static void compareMembers(String schema, Set<String> written, Set<String> documented, List<String> drift) {
    for (String m : difference(written, documented)) {
      drift.add("schema " + schema + ": the service writes the member '" + m + "' but openapi.yaml does not document it;"
          + " add it to components.schemas." + schema + ".properties in " + FIX_YAML);
    }
    for (String m : difference(documented, written)) {
      drift.add("schema " + schema + ": openapi.yaml documents '" + m + "' but the service never writes it;"
          + " remove it from components.schemas." + schema + ".properties in " + FIX_YAML);
    }
  }

  private static void compareValue(
      String kind, String param, String what, String servedValue, String mine, String where, List<String> drift) {
    if (!Objects.equals(servedValue, mine)) {
      drift.add("kind " + kind + ": parameter '" + param + "' has " + what + " " + servedValue + " in the service but "
          + mine + " in openapi.yaml; set " + where + " to " + servedValue + " in " + FIX_YAML);
    }
  }

  private static void compareNumber(
      String kind, String param, String what, JsonNode servedValue, Object mine, String where, List<String> drift) {
    BigDecimal s = servedValue == null || servedValue.isNull() ? null : servedValue.decimalValue();
    BigDecimal m = mine == null ? null : new BigDecimal(String.valueOf(mine));
    boolean same = s == null ? m == null : m != null && s.compareTo(m) == 0;
    if (!same) {
      compareValue(kind, param, what, s == null ? null : s.toPlainString(), m == null ? null : m.toPlainString(), where, drift);
    }
  }

  private JsonNode problemAt(String body) throws IOException {
    return mapper.readTree(body);
  }

  private static Set<String> fieldNames(JsonNode node) {
    Set<String> names = new TreeSet<>();
    for (Iterator<String> it = node.fieldNames(); it.hasNext(); ) {
      names.add(it.next());
    }
    return names;
  }

  private static void assertNoDrift(String what, List<String> drift) {
    if (!drift.isEmpty()) {
      fail("openapi.yaml and the served API have drifted apart (" + what + "):\n  - " + String.join("\n  - ", drift));
    }
  }
}
