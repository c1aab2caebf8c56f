package io.checkpointd.observe;

import static org.assertj.core.api.Assertions.assertThat;

import io.checkpointd.support.EmbeddedPostgresResource;
import io.checkpointd.support.HeadlessChromium;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.common.http.TestHTTPResource;
import io.quarkus.test.junit.QuarkusTest;
import java.net.URL;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.openqa.selenium.By;
import org.openqa.selenium.Dimension;
import org.openqa.selenium.OutputType;
import org.openqa.selenium.StaleElementReferenceException;
import org.openqa.selenium.WebElement;
import org.openqa.selenium.chrome.ChromeDriver;
import org.openqa.selenium.support.ui.Select;
import org.openqa.selenium.support.ui.WebDriverWait;

/** The dashboard as a person uses it, on an open service, in a real headless Chromium ({@link HeadlessChromium}). */
@QuarkusTest
@WithTestResource(EmbeddedPostgresResource.class)
class DashboardBrowserTest {

  /**
   * Under target/, so that a test run leaves the working tree as it found it; the README's picture
   * is refreshed on purpose with -Dio.checkpointd.screenshot=docs/dashboard.png. Outside the
   * "checkpointd." namespace, whose keys must all be known to CheckpointdConfig.
   */
  private static final Path SCREENSHOT = Path.of(System.getProperty("io.checkpointd.screenshot", "target/dashboard.png"));

  @TestHTTPResource("/")
  URL base;

  private HeadlessChromium chromium;
  private ChromeDriver browser;

  @BeforeEach
  void openBrowser() throws Exception {
    chromium = HeadlessChromium.open();
    browser = chromium.browser();
  }

  @AfterEach
  void closeBrowser() throws Exception {
    if (chromium != null) {
      chromium.close();
    }
  }

  @Test
  void a_person_creates_a_job_watches_it_move_pauses_resumes_and_sees_its_result() throws Exception {
    browser.get(base.toString());
    WebDriverWait wait = new WebDriverWait(browser, Duration.ofSeconds(30));
    wait.ignoring(StaleElementReferenceException.class); // the page redraws what changes, live

    // the form comes from GET /kinds; first a bad value, to see the API's problem details
    new Select(wait.until(d -> d.findElement(By.id("create-kind")))).selectByValue("squares");
    // an open service asks for no key: no sign-in field, no sign-out
    assertThat(browser.findElements(By.id("api-key"))).isEmpty();
    assertThat(browser.findElement(By.id("sign-out")).isDisplayed()).isFalse();
    chromium.setValue("param-limit", "200");
    chromium.setValue("param-delayMs", "-5");
    browser.findElement(By.id("create-submit")).click();
    wait.until(d -> d.findElement(By.id("create-answer")).getText().contains("400"));
    assertThat(browser.findElement(By.id("create-answer")).getText()).contains("delayMs");

    chromium.setValue("param-delayMs", "100"); // 20 s of work: time to pause it
    chromium.setValue("create-every", "5");
    browser.findElement(By.id("create-submit")).click();
    String jobId = wait.until(d -> {
      String text = d.findElement(By.id("create-answer")).getText();
      return text.startsWith("201") ? text.replaceAll(".*created job ([0-9a-f-]{36}).*", "$1") : null;
    });

    // the list shows it, and its bar moves live
    WebElement row = wait.until(d -> d.findElement(By.cssSelector("tr[data-job='" + jobId + "']")));
    assertThat(row).isNotNull();
    wait.until(d -> chromium.percent("tr[data-job='" + jobId + "'] .bar") > 0);
    createBackgroundJobs();
    Thread.sleep(1500); // a moment of live progress in the picture
    Files.createDirectories(SCREENSHOT.getParent());
    Files.copy(browser.getScreenshotAs(OutputType.FILE).toPath(), SCREENSHOT, StandardCopyOption.REPLACE_EXISTING);

    // its page: pause, see PAUSED, resume, see SUCCEEDED and the result
    wait.until(d -> {
      d.findElement(By.cssSelector("tr[data-job='" + jobId + "'] a")).click();
      return true;
    });
    int before = wait.until(d -> {
      int p = chromium.percent("#job-summary .bar");
      return p > 0 ? p : null;
    });
    wait.until(d -> chromium.percent("#job-summary .bar") > before);
    browser.findElement(By.id("btn-pause")).click();
    wait.until(d -> d.findElement(By.id("command-answer")).getText().startsWith("202"));
    wait.until(d -> d.findElement(By.id("job-status")).getText().equals("PAUSED"));
    // a pause of a paused job is harmless; a delete of a paused one is refused, and says why
    browser.findElement(By.id("btn-delete")).click();
    wait.until(d -> d.findElement(By.id("command-answer")).getText().startsWith("409"));

    browser.findElement(By.id("btn-resume")).click();
    wait.until(d -> d.findElement(By.id("command-answer")).getText().startsWith("202"));
    new WebDriverWait(browser, Duration.ofSeconds(60)).ignoring(StaleElementReferenceException.class)
        .until(d -> d.findElement(By.id("job-status")).getText().equals("SUCCEEDED"));
    wait.until(d -> d.findElement(By.id("result")).getText().contains("39601")); // 199 squared, the last of 200
    assertThat(chromium.percent("#job-summary .bar")).isEqualTo(100);
    assertThat(browser.findElement(By.id("timeline")).getText()).contains("PAUSED").contains("RESUMED").contains("SUCCEEDED");

    // at a phone's width the list still fits: nothing to scroll sideways
    browser.manage().window().setSize(new Dimension(390, 844));
    browser.get(base.toString());
    wait.until(d -> d.findElement(By.cssSelector("tr[data-job='" + jobId + "']")));
    Object overflow = browser.executeScript("return document.documentElement.scrollWidth - window.innerWidth;");
    assertThat(((Number) overflow).intValue()).as("pixels to scroll sideways at 390 px").isLessThanOrEqualTo(0);
  }

  /** A few other jobs, so that the screenshot shows a list rather than one row. */
  private void createBackgroundJobs() {
    io.checkpointd.support.Jobs.create("{\"kind\":\"squares\",\"params\":{\"limit\":400,\"delayMs\":100},\"checkpoint\":{\"everyIterations\":25}}");
    io.checkpointd.support.Jobs.create("{\"kind\":\"pi\",\"params\":{\"samples\":1000}}");
    String paused = io.checkpointd.support.Jobs.squares(1000, 1000, 10);
    io.restassured.RestAssured.given().post("/jobs/" + paused + "/pause");
  }
}
