package io.checkpointd.observe;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;

import io.checkpointd.support.EmbeddedPostgresResource;
import io.checkpointd.support.HeadlessChromium;
import io.checkpointd.support.KeysRequired;
import io.checkpointd.support.MetricsKeyRequired;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.common.http.TestHTTPResource;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.TestProfile;
import io.restassured.http.ContentType;
import java.net.URL;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.openqa.selenium.By;
import org.openqa.selenium.StaleElementReferenceException;
import org.openqa.selenium.chrome.ChromeDriver;
import org.openqa.selenium.support.ui.Select;
import org.openqa.selenium.support.ui.WebDriverWait;

/**
 * The dashboard of a service that requires keys, and a metrics key, in a real headless Chromium:
 * sign in, refusals, live streams, metrics.
 */
@QuarkusTest
@TestProfile(MetricsKeyRequired.class)
@WithTestResource(EmbeddedPostgresResource.class)
class DashboardSignInBrowserTest {

  @TestHTTPResource("/")
  URL base;

  private HeadlessChromium chromium;
  private ChromeDriver browser;
  private WebDriverWait wait;

  @BeforeEach
  void openBrowser() throws Exception {
    chromium = HeadlessChromium.open();
    browser = chromium.browser();
    wait = new WebDriverWait(browser, Duration.ofSeconds(30));
    wait.ignoring(StaleElementReferenceException.class); // the page redraws what changes, live
  }

  @AfterEach
  void closeBrowser() throws Exception {
    if (chromium != null) {
      chromium.close();
    }
  }

  @Test
  void a_person_signs_in_with_a_key_and_watches_a_job_run_live() {
    browser.get(base.toString());

    // keys required: a sign-in field, nothing of the API, no complaint before anything was tried
    wait.until(d -> d.findElement(By.id("api-key")));
    assertThat(browser.findElements(By.id("create-form"))).isEmpty();
    assertThat(browser.findElement(By.id("sign-in-answer")).getText()).isEmpty();
    assertThat(browser.findElement(By.id("sign-out")).isDisplayed()).isFalse();

    // a wrong key: the refusal, and the field again
    signIn("ckd_00000000_not-a-key");
    wait.until(d -> d.findElement(By.id("sign-in-answer")).getText().startsWith("401"));
    assertThat(browser.findElement(By.id("sign-in-answer")).getText()).contains("unknown or revoked");
    assertThat(sessionKey()).isNull();

    // a viewer's key reads, and a creation says what the key may not do
    signIn(key("viewer"));
    new Select(wait.until(d -> d.findElement(By.id("create-kind")))).selectByValue("squares");
    browser.findElement(By.id("create-submit")).click();
    wait.until(d -> d.findElement(By.id("create-answer")).getText().startsWith("403"));
    assertThat(browser.findElement(By.id("create-answer")).getText()).contains("roles do not allow");
    // nor may it read the metrics: the page says so (a link would have shown a bare 401)
    browser.findElement(By.id("nav-metrics")).click();
    wait.until(d -> d.findElement(By.id("metrics-answer")).getText().startsWith("403"));
    assertThat(browser.findElement(By.id("metrics")).getText()).isEmpty();
    browser.findElement(By.id("nav-jobs")).click();
    wait.until(d -> d.findElement(By.id("create-kind")));

    // sign out: the field again, calm
    browser.findElement(By.id("sign-out")).click();
    wait.until(d -> d.findElement(By.id("api-key")));
    assertThat(browser.findElement(By.id("sign-in-answer")).getText()).isEmpty();
    assertThat(sessionKey()).isNull();

    // two tenants declare a kind of the same name: the admin, who sees both, is offered the name once
    for (String tenant : List.of("dashboard-a", "dashboard-b")) {
      given().header("Authorization", "Bearer " + key(tenant, "worker")).contentType(ContentType.JSON)
          .body("{\"description\":\"resizes images\",\"parameters\":[]}").put("/kinds/resize").then().statusCode(201);
    }

    // the admin's own tenant declares it too, with a parameter; another kind only one tenant has
    given().header("Authorization", "Bearer " + KeysRequired.ADMIN_KEY).contentType(ContentType.JSON)
        .body("{\"description\":\"resizes images\",\"parameters\":"
            + "[{\"name\":\"width\",\"type\":\"integer\",\"defaultValue\":640,\"minimum\":1,\"maximum\":10000}]}")
        .put("/kinds/resize").then().statusCode(201);
    given().header("Authorization", "Bearer " + key("dashboard-a", "worker")).contentType(ContentType.JSON)
        .body("{\"description\":\"crops images\",\"parameters\":[]}").put("/kinds/crop").then().statusCode(201);

    // the admin key: a squares job from the form, its row and progress from the stream, to the end
    signIn(KeysRequired.ADMIN_KEY);
    Select createKind = new Select(wait.until(d -> d.findElement(By.id("create-kind"))));
    assertThat(optionValues("create-kind")).containsOnlyOnce("resize", "squares");
    assertThat(optionValues("filter-kind")).containsOnlyOnce("resize", "squares");
    // the admin lists every tenant's jobs by kind, but creates only what its own tenant may: its
    // own declaration of a shared name, and no other tenant's kind (that creation would be a 400)
    assertThat(optionValues("filter-kind")).containsOnlyOnce("crop");
    assertThat(optionValues("create-kind")).doesNotContain("crop");
    createKind.selectByValue("resize");
    assertThat(browser.findElement(By.id("param-width")).getAttribute("value")).isEqualTo("640");
    createKind.selectByValue("squares");
    chromium.setValue("param-limit", "80");
    chromium.setValue("param-delayMs", "100");
    chromium.setValue("create-every", "5");
    browser.findElement(By.id("create-submit")).click();
    String jobId = wait.until(d -> {
      String text = d.findElement(By.id("create-answer")).getText();
      return text.startsWith("201") ? text.replaceAll(".*created job ([0-9a-f-]{36}).*", "$1") : null;
    });
    // the list adds a row, and moves its bar, only from the stream's events
    wait.until(d -> chromium.percent("tr[data-job='" + jobId + "'] .bar") > 0);
    assertThat(browser.findElement(By.id("live")).getAttribute("class")).contains("on");
    assertThat(browser.findElement(By.id("sign-out")).isDisplayed()).isTrue();

    browser.findElement(By.cssSelector("tr[data-job='" + jobId + "'] a")).click();
    int before = wait.until(d -> {
      int p = chromium.percent("#job-summary .bar");
      return p > 0 && p < 100 ? p : null;
    });
    wait.until(d -> chromium.percent("#job-summary .bar") > before);
    new WebDriverWait(browser, Duration.ofSeconds(60)).ignoring(StaleElementReferenceException.class)
        .until(d -> d.findElement(By.id("job-status")).getText().equals("SUCCEEDED"));
    wait.until(d -> d.findElement(By.id("result")).getText().contains("6241")); // 79 squared, the last of 80
    assertThat(browser.findElement(By.id("timeline")).getText()).contains("STARTED").contains("SUCCEEDED");

    // the admin's key reads the metrics the service guards with its metrics key
    browser.findElement(By.id("nav-metrics")).click();
    wait.until(d -> d.findElement(By.id("metrics")).getText().contains("checkpointd_jobs"));
    assertThat(browser.findElement(By.id("metrics-answer")).getText()).isEmpty();
    browser.findElement(By.id("nav-jobs")).click();
    wait.until(d -> d.findElement(By.id("create-kind")));

    // the key stays with the tab, and never in a URL (where logs would keep it)
    assertThat(sessionKey()).isEqualTo(KeysRequired.ADMIN_KEY);
    assertThat(((Number) browser.executeScript("return localStorage.length")).intValue()).isZero();
    @SuppressWarnings("unchecked")
    List<String> urls = (List<String>) browser.executeScript(
        "return performance.getEntriesByType('resource').map(e => e.name).concat([location.href])");
    assertThat(urls).isNotEmpty().noneMatch(url -> url.contains(KeysRequired.ADMIN_KEY) || url.contains("ckd_"));
  }

  private void signIn(String key) {
    chromium.setValue("api-key", key);
    browser.findElement(By.id("sign-in-submit")).click();
  }

  private static String key(String role) {
    return key("dashboard", role);
  }

  private static String key(String tenant, String role) {
    return given().header("Authorization", "Bearer " + KeysRequired.ADMIN_KEY).contentType(ContentType.JSON)
        .body("{\"tenant\":\"" + tenant + "\",\"roles\":[\"" + role + "\"],\"name\":\"" + tenant + "-" + role + "\"}")
        .post("/api-keys").then().statusCode(201).extract().path("key");
  }

  private List<String> optionValues(String selectId) {
    return new Select(browser.findElement(By.id(selectId))).getOptions().stream().map(o -> o.getAttribute("value")).toList();
  }

  private String sessionKey() {
    return (String) browser.executeScript("return sessionStorage.getItem('checkpointd.api-key')");
  }
}
