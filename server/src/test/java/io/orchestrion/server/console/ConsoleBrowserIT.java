package io.orchestrion.server.console;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.fail;

import io.orchestrion.engine.testing.TestDatabaseKind;
import io.orchestrion.flow.json.OrchestrionJson;
import io.orchestrion.server.demo.DemoRunner;
import io.orchestrion.server.http.JwtTokens;
import io.orchestrion.server.testing.TestServer;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.logging.Level;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.openqa.selenium.By;
import org.openqa.selenium.Dimension;
import org.openqa.selenium.JavascriptExecutor;
import org.openqa.selenium.Keys;
import org.openqa.selenium.OutputType;
import org.openqa.selenium.StaleElementReferenceException;
import org.openqa.selenium.TakesScreenshot;
import org.openqa.selenium.WebDriver;
import org.openqa.selenium.WebElement;
import org.openqa.selenium.chrome.ChromeDriver;
import org.openqa.selenium.chrome.ChromeOptions;
import org.openqa.selenium.logging.LogEntry;
import org.openqa.selenium.logging.LogType;
import org.openqa.selenium.logging.LoggingPreferences;
import org.openqa.selenium.support.ui.ExpectedConditions;
import org.openqa.selenium.support.ui.WebDriverWait;

/**
 * The console in a real headless browser (Debian's chromium and chromium-driver) against the real
 * server running the demo (issue #13): bob approves alice's waiting expense from his inbox, fiona
 * approves the Finance item, the submission is APPROVED with its stage diagram; alice submits
 * another expense and recalls it; carol, who has nothing to do with alice's expenses, sees no
 * foreign item and no action buttons. Also the definitions pages, the phone width, keyboard focus,
 * and that the browser log has no errors. Screenshots go to target/console-screenshots.
 *
 * <p>Without chromium this test is skipped on a developer machine and fails in CI (the CI script
 * installs it; {@code CI} is set there).
 */
class ConsoleBrowserIT {
  private static final Path CHROMIUM = Path.of("/usr/bin/chromium");
  private static final Path CHROMEDRIVER = Path.of("/usr/bin/chromedriver");
  private static final Path SCREENSHOTS = Path.of("target", "console-screenshots");
  private static final Duration WAIT = Duration.ofSeconds(20);

  private static TestServer server;
  private static WebDriver driver;
  private static String console;

  @BeforeAll
  static void start() throws IOException {
    if (!Files.isExecutable(CHROMIUM) || !Files.isExecutable(CHROMEDRIVER)) {
      String missing =
          "chromium and chromium-driver are needed for the console's browser test"
              + " (apt-get install -y chromium chromium-driver)";
      if (System.getenv("CI") != null) {
        fail(missing + ", and CI must have them");
      }
      Assumptions.abort(missing + "; skipped outside CI");
    }
    server = TestServer.start(TestDatabaseKind.H2);
    ByteArrayOutputStream demoOutput = new ByteArrayOutputStream();
    new DemoRunner(
            server.server().engine(),
            OrchestrionJson.newObjectMapper(),
            new PrintStream(demoOutput, true, StandardCharsets.UTF_8),
            Optional.of(
                user ->
                    server.server().tokens().mint(user, Instant.now(), JwtTokens.DEFAULT_LIFETIME)))
        .run(Duration.ofSeconds(30));
    assertThat(demoOutput.toString(StandardCharsets.UTF_8))
        .contains("is left waiting for bob (Manager_Approval) and fiona (Finance_Approval)");
    server.server().demoSignIn().enable(DemoRunner.people());
    console = server.server().baseUri() + "console/";
    Files.createDirectories(SCREENSHOTS);

    ChromeOptions options = new ChromeOptions();
    options.setBinary(CHROMIUM.toFile());
    options.addArguments(
        "--headless=new",
        "--no-sandbox",
        "--disable-dev-shm-usage",
        "--disable-gpu",
        "--window-size=1280,800",
        "--lang=en-US");
    LoggingPreferences logs = new LoggingPreferences();
    logs.enable(LogType.BROWSER, Level.ALL);
    options.setCapability("goog:loggingPrefs", logs);
    // Debian's driver, so that Selenium Manager downloads nothing.
    System.setProperty("webdriver.chrome.driver", CHROMEDRIVER.toString());
    driver = new ChromeDriver(options);
    driver.manage().timeouts().scriptTimeout(WAIT);
  }

  /** Each test starts signed out, at 1280 × 800. */
  @BeforeEach
  void signedOut() {
    driver.manage().window().setSize(new Dimension(1280, 800));
    driver.get(console);
    ((JavascriptExecutor) driver).executeScript("sessionStorage.clear();");
    driver.navigate().refresh();
    waitFor(By.cssSelector("button.demo-user"));
  }

  @AfterAll
  static void stop() {
    if (driver != null) {
      driver.quit();
    }
    if (server != null) {
      server.close();
    }
  }

  @Test
  void approversRecallAndAnUnrelatedUserWorkThroughTheConsole() {
    signInAs("bob");
    // bob's inbox: alice's waiting expense, with its record summary, approved with a comment.
    WebElement item = waitFor(By.cssSelector("article.work-item"));
    assertThat(item.getText())
        .contains("Manager_Approval")
        .contains("Conference trip")
        .contains("alice")
        .contains("6200")
        .doesNotContain("OwnerId");
    assertThat(item.findElement(By.cssSelector("button.approve")).isDisplayed()).isTrue();
    screenshot("inbox");
    item.findElement(By.cssSelector("textarea[name=comments]")).sendKeys("Fine by me");
    item.findElement(By.cssSelector("button.approve")).click();
    waitForText(By.cssSelector("article.work-item .outcome"), "Approved.");
    assertNoBrowserErrors("bob's approval");
    signOut();

    // fiona: the Finance queue's item for the same expense (a large one, so Finance approves too).
    signInAs("fiona");
    WebElement finance =
        waitForText(By.cssSelector("article.work-item"), "Finance_Approval", "Conference trip");
    assertThat(finance.getText()).contains("queue Finance");
    finance.findElement(By.cssSelector("button.approve")).click();
    waitForText(By.cssSelector("article.work-item .outcome"), "Approved.");
    finance.findElement(By.linkText("Open the submission")).click();

    // The submission page: APPROVED, both stages completed in the diagram, steps with their
    // execution mode and reason and the user they ran as, the event timeline.
    waitForAttribute(By.cssSelector("main h1"), "data-status", "APPROVED");
    // The page follows the run live; read it again if it was redrawn meanwhile.
    eventually(
        () -> {
          List<WebElement> stages = driver.findElements(By.cssSelector(".stage-diagram li.stage"));
          assertThat(stages)
              .extracting(stage -> stage.getDomAttribute("data-stage"))
              .containsExactly("Intake", "Review");
          assertThat(stages)
              .extracting(stage -> stage.getDomAttribute("data-status"))
              .containsExactly("COMPLETED", "COMPLETED");
          WebElement score = driver.findElement(By.cssSelector("tr[data-step=Score]"));
          assertThat(score.getText()).contains("COMPLETED").contains("ASYNC").contains("alice");
          assertThat(driver.findElement(By.cssSelector(".timeline")).getText())
              .contains("STEP_RESULT");
          assertThat(driver.findElement(By.cssSelector("table.work-items")).getText())
              .contains("Fine by me")
              .contains("bob")
              .contains("fiona");
          assertThat(driver.findElements(By.cssSelector("[data-action]"))).isEmpty();
        });
    screenshot("submission-approved");
    assertNoBrowserErrors("fiona's approval and the submission page");
    signOut();

    // alice submits another expense from the console and recalls it; she may not cancel it.
    signInAs("alice");
    driver.findElement(By.linkText("New submission")).click();
    WebElement title = waitFor(By.cssSelector("form.new-submission input[name=Title]"));
    title.sendKeys("Printer paper");
    driver.findElement(By.cssSelector("form.new-submission input[name=Amount]")).sendKeys("42");
    driver
        .findElement(By.cssSelector("form.new-submission textarea[name=comments]"))
        .sendKeys("Q4");
    driver.findElement(By.cssSelector("form.new-submission button[type=submit]")).click();
    waitFor(By.cssSelector("button[data-action=RECALL]"));
    eventually(
        () -> {
          assertThat(driver.findElement(By.cssSelector("main h1")).getDomAttribute("data-status"))
              .isEqualTo("IN_PROGRESS");
          assertThat(driver.findElements(By.cssSelector("[data-action]")))
              .extracting(button -> button.getDomAttribute("data-action"))
              .containsExactly("RECALL");
        });
    screenshot("submission-in-progress");
    eventually(
        () -> {
          driver
              .findElement(By.cssSelector(".actions input[name=comments]"))
              .sendKeys("Wrong cost");
          driver.findElement(By.cssSelector("button[data-action=RECALL]")).click();
        });
    waitForAttribute(By.cssSelector("main h1"), "data-status", "RECALLED");
    assertThat(driver.findElements(By.cssSelector("[data-action]"))).isEmpty();
    assertThat(driver.findElement(By.cssSelector(".history")).getText())
        .contains("RECALL by alice");
    assertNoBrowserErrors("alice's submission and recall");
    signOut();

    // carol sees neither alice's items nor her submissions, and no action buttons anywhere.
    signInAs("carol");
    waitForText(By.cssSelector(".inbox-status"), "Nothing is waiting for you.");
    assertThat(driver.findElements(By.cssSelector("article.work-item"))).isEmpty();
    driver.findElement(By.linkText("Submissions")).click();
    waitForText(By.cssSelector("table.submissions tbody"), "No submissions match.");
    assertThat(driver.findElements(By.cssSelector("tr[data-submission]"))).isEmpty();
    assertThat(driver.findElements(By.cssSelector("[data-action], button.approve"))).isEmpty();
    assertNoBrowserErrors("carol's views");
    signOut();
  }

  @Test
  void definitionsAreDrawnAndThePageFitsAPhone() {
    signInAs("ada");
    driver.findElement(By.linkText("Definitions")).click();
    waitFor(By.cssSelector("table.flows")).findElement(By.linkText("Score_Risk")).click();
    WebElement graph = waitFor(By.cssSelector("svg.flow-graph"));
    assertThat(graph.findElements(By.cssSelector("g.element")))
        .extracting(element -> element.getDomAttribute("data-element"))
        .containsExactlyInAnyOrder(
            "Get_Expense", "Found", "Notify", "Cool_Off", "Score", "Save", "Give_Up");
    // Get_Expense -> Found, Found -> Give_Up (Missing) and -> Notify (default), Notify ->
    // Cool_Off -> Score -> Save.
    assertThat(graph.findElements(By.cssSelector("path.connector"))).hasSize(6);
    assertThat(graph.findElements(By.cssSelector("text.connector-label")))
        .extracting(WebElement::getText)
        .containsExactlyInAnyOrder("Missing", "default");
    assertThat(driver.findElement(By.cssSelector("main")).getText())
        .contains("ASYNC")
        .contains("ACTIVE");
    ((JavascriptExecutor) driver).executeScript("arguments[0].scrollIntoView();", graph);
    screenshot("flow-graph");
    driver.findElement(By.linkText("← Definitions")).click();
    waitFor(By.cssSelector("table.orchestrations"))
        .findElement(By.linkText("Expense_Approval"))
        .click();
    WebElement diagram = waitFor(By.cssSelector(".stage-diagram"));
    assertThat(diagram.getText())
        .contains("Intake")
        .contains("Review")
        .contains("Manager_Approval")
        .contains("Finance_Approval");
    screenshot("orchestration");

    // At phone width: the submissions list and a submission page do not overflow sideways.
    driver.manage().window().setSize(new Dimension(390, 844));
    driver.findElement(By.linkText("Submissions")).click();
    waitFor(By.cssSelector("tr[data-submission]"));
    assertNoHorizontalOverflow();
    screenshot("submissions-phone");
    driver.findElement(By.cssSelector("tr[data-submission] a")).click();
    waitFor(By.cssSelector(".stage-diagram li.stage"));
    assertNoHorizontalOverflow();
    screenshot("submission-phone");
    driver.manage().window().setSize(new Dimension(1280, 800));
    assertNoBrowserErrors("definitions and phone width");
    signOut();
  }

  @Test
  void theSignInPageIsKeyboardReachableWithVisibleFocus() {
    WebElement body = driver.findElement(By.tagName("body"));
    body.sendKeys(Keys.TAB);
    WebElement focused = null;
    for (int i = 0; i < 10; i++) {
      focused = driver.switchTo().activeElement();
      if ("demo-user".equals(focused.getDomAttribute("class"))) {
        break;
      }
      focused.sendKeys(Keys.TAB);
    }
    assertThat(focused.getDomAttribute("class")).isEqualTo("demo-user");
    assertThat(focused.getCssValue("outline-style")).isNotEqualTo("none");
    assertThat(driver.findElements(By.cssSelector("label[for]"))).isNotEmpty();
    screenshot("sign-in");
    focused.sendKeys(Keys.ENTER);
    waitForText(By.id("who-name"), "(alice)");
    assertNoBrowserErrors("keyboard sign-in");
    signOut();
  }

  private static void signInAs(String userId) {
    waitFor(By.cssSelector("button.demo-user[data-user=" + userId + "]")).click();
    waitForText(By.id("who-name"), "(" + userId + ")");
  }

  private static void signOut() {
    driver.findElement(By.id("sign-out")).click();
    waitFor(By.cssSelector("button.demo-user"));
  }

  private static WebElement waitFor(By locator) {
    return new WebDriverWait(driver, WAIT)
        .until(ExpectedConditions.visibilityOfElementLocated(locator));
  }

  private static WebElement waitForText(By locator, String... texts) {
    return new WebDriverWait(driver, WAIT)
        .withMessage(() -> "waiting for " + List.of(texts) + " in " + locator)
        .until(
            d ->
                d.findElements(locator).stream()
                    .filter(
                        element -> {
                          String text = element.getText();
                          return List.of(texts).stream().allMatch(text::contains);
                        })
                    .findFirst()
                    .orElse(null));
  }

  /** Runs the checks until they pass without meeting an element the page redrew meanwhile. */
  private static void eventually(Runnable checks) {
    new WebDriverWait(driver, WAIT)
        .ignoring(StaleElementReferenceException.class)
        .until(
            d -> {
              checks.run();
              return true;
            });
  }

  private static void waitForAttribute(By locator, String attribute, String value) {
    new WebDriverWait(driver, WAIT)
        .until(ExpectedConditions.attributeToBe(locator, attribute, value));
  }

  private static void assertNoHorizontalOverflow() {
    Map<?, ?> sizes =
        (Map<?, ?>)
            ((JavascriptExecutor) driver)
                .executeScript(
                    "return {scroll: document.documentElement.scrollWidth,"
                        + " client: document.documentElement.clientWidth};");
    assertThat(((Number) sizes.get("scroll")).longValue())
        .as("page width at %s px", sizes.get("client"))
        .isLessThanOrEqualTo(((Number) sizes.get("client")).longValue());
  }

  private static void assertNoBrowserErrors(String phase) {
    List<LogEntry> errors =
        driver.manage().logs().get(LogType.BROWSER).getAll().stream()
            .filter(entry -> entry.getLevel().intValue() >= Level.WARNING.intValue())
            .toList();
    assertThat(errors).as("browser log errors during " + phase).isEmpty();
  }

  private static void screenshot(String name) {
    try {
      Files.write(
          SCREENSHOTS.resolve(name + ".png"),
          ((TakesScreenshot) driver).getScreenshotAs(OutputType.BYTES));
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}
