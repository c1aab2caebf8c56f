package io.checkpointd.support;

import static org.junit.jupiter.api.Assertions.fail;

import java.io.File;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import org.junit.jupiter.api.Assumptions;
import org.openqa.selenium.Dimension;
import org.openqa.selenium.chrome.ChromeDriver;
import org.openqa.selenium.chrome.ChromeDriverService;
import org.openqa.selenium.chrome.ChromeOptions;

/**
 * A real headless Chromium for the dashboard's tests: Debian's {@code chromium} and
 * {@code chromium-driver} (which .ci/run installs); nothing downloads a browser. Without them a test
 * fails in CI ({@code CI=true}) and is skipped, saying why, on a workstation.
 */
public final class HeadlessChromium implements AutoCloseable {

  private static final Path CHROMIUM = Path.of("/usr/bin/chromium");
  private static final Path CHROMEDRIVER = Path.of("/usr/bin/chromedriver");

  private final ChromeDriver browser;
  private final Path profile;

  private HeadlessChromium(ChromeDriver browser, Path profile) {
    this.browser = browser;
    this.profile = profile;
  }

  public static HeadlessChromium open() throws Exception {
    if (!Files.isExecutable(CHROMIUM) || !Files.isExecutable(CHROMEDRIVER)) {
      String why = "needs " + CHROMIUM + " and " + CHROMEDRIVER + ": apt-get install -y chromium chromium-driver";
      if ("true".equalsIgnoreCase(System.getenv("CI"))) {
        fail(why);
      }
      Assumptions.abort(why);
    }
    Path profile = Files.createTempDirectory("checkpointd-chromium");
    ChromeOptions options = new ChromeOptions();
    options.setBinary(CHROMIUM.toFile());
    options.addArguments("--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
        "--disable-background-networking", "--disable-component-update", "--disable-sync",
        "--user-data-dir=" + profile, "--window-size=1280,900");
    ChromeDriverService service = new ChromeDriverService.Builder()
        .usingDriverExecutable(CHROMEDRIVER.toFile()).usingAnyFreePort().build();
    ChromeDriver browser = new ChromeDriver(service, options);
    browser.manage().window().setSize(new Dimension(1280, 900));
    return new HeadlessChromium(browser, profile);
  }

  /** Types {@code value} into the input with id {@code id} (once it is on the page), replacing what it held. */
  public void setValue(String id, String value) {
    org.openqa.selenium.WebElement input = new org.openqa.selenium.support.ui.WebDriverWait(browser, java.time.Duration.ofSeconds(10))
        .until(d -> d.findElement(org.openqa.selenium.By.id(id)));
    input.clear();
    input.sendKeys(value);
  }

  /** The percent a progress bar shows; -1 while it is not on the page. Read by script: rows are redrawn live. */
  public int percent(String selector) {
    Object value = browser.executeScript(
        "const b = document.querySelector(arguments[0]); return b ? b.getAttribute('aria-valuenow') : null;", selector);
    return value == null ? -1 : (int) Double.parseDouble(value.toString());
  }

  public ChromeDriver browser() {
    return browser;
  }

  @Override
  public void close() throws Exception {
    browser.quit();
    try (var files = Files.walk(profile)) {
      files.sorted(Comparator.reverseOrder()).map(Path::toFile).forEach(File::delete);
    }
  }
}
