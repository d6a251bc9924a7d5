package dev.keel.app;

import static org.assertj.core.api.Assertions.assertThat;

import dev.keel.app.config.KeelConfig;
import dev.keel.app.runtime.KeelRuntime;
import dev.keel.core.journal.JournalEvent;
import dev.keel.core.journal.JournalSamples;
import dev.keel.core.model.TradingState;
import dev.keel.core.model.TransactionStatus;
import dev.keel.core.rebalance.ProgressListener;
import dev.keel.core.time.ManualClock;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import java.io.File;
import java.io.IOException;
import java.io.PrintStream;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.openqa.selenium.By;
import org.openqa.selenium.OutputType;
import org.openqa.selenium.TakesScreenshot;
import org.openqa.selenium.WebDriver;
import org.openqa.selenium.chrome.ChromeDriver;
import org.openqa.selenium.chrome.ChromeDriverService;
import org.openqa.selenium.chrome.ChromeOptions;

/**
 * The dashboard in a real browser: Debian's Chromium driven by Selenium through chromedriver, against a real
 * {@code keel serve} API and dashboard on 127.0.0.1. It signs in, walks every page, halts and resumes the account with
 * the buttons and sees the state change, and saves a PNG of every page under {@code app/target/screenshots/}.
 *
 * <p>Without chromium and chromedriver the test is skipped with a loud notice; with {@code KEEL_REQUIRE_SERVICES=1}
 * (CI) their absence fails it.
 */
class DashboardBrowserTest {
    static final Path CHROMIUM = Path.of("/usr/bin/chromium");
    static final Path CHROMEDRIVER = Path.of("/usr/bin/chromedriver");
    static final Path SCREENSHOTS = Path.of("target", "screenshots");

    @TempDir
    Path dir;

    final ManualClock clock = new ManualClock(ServeApiTest.START);
    KeelRuntime runtime;
    KeelApi api;
    WebDriver browser;

    @BeforeEach
    void start() throws IOException {
        boolean present = Files.isExecutable(CHROMIUM) && Files.isExecutable(CHROMEDRIVER);
        if (!present) {
            String notice = "DashboardBrowserTest: " + CHROMIUM + " and " + CHROMEDRIVER + " are needed (Debian: "
                    + "apt-get install chromium chromium-driver)";
            if (servicesRequired()) {
                throw new IllegalStateException(notice + ", and KEEL_REQUIRE_SERVICES forbids skipping");
            }
            System.err.println("*** SKIPPED *** " + notice);
            Assumptions.abort(notice);
        }
        KeelConfig cfg = ServeApiTest.config(dir);
        PrometheusMeterRegistry prometheus = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
        runtime = KeelRuntime.open(cfg, clock, clock, new PrintStream(PrintStream.nullOutputStream()), 42, Map.of(),
                prometheus);
        api = KeelApi.start(runtime, prometheus, cfg.serve(), ServeApiTest.TOKEN, () -> true, clock);
        ChromeOptions options = new ChromeOptions();
        options.setBinary(CHROMIUM.toFile());
        options.addArguments("--headless=new", "--no-sandbox", "--disable-dev-shm-usage", "--window-size=1280,900",
                "--user-data-dir=" + dir.resolve("chromium"));
        ChromeDriverService service = new ChromeDriverService.Builder()
                .usingDriverExecutable(new File(CHROMEDRIVER.toString())).usingAnyFreePort().build();
        browser = new ChromeDriver(service, options);
        browser.manage().timeouts().pageLoadTimeout(Duration.ofSeconds(30));
    }

    @AfterEach
    void stop() {
        if (browser != null) {
            browser.quit();
        }
        if (api != null) {
            api.close();
        }
        if (runtime != null) {
            runtime.close();
        }
    }

    /** As the service-backed tests read it: {@code keel.requireServices} or {@code KEEL_REQUIRE_SERVICES}. */
    static boolean servicesRequired() {
        return isTrue(System.getProperty("keel.requireServices")) || isTrue(System.getenv("KEEL_REQUIRE_SERVICES"));
    }

    private static boolean isTrue(String v) {
        return v != null && (v.equals("1") || v.equalsIgnoreCase("true"));
    }

    String url(String path) {
        return "http://127.0.0.1:" + api.port() + path;
    }

    void screenshot(String name) throws IOException {
        Files.createDirectories(SCREENSHOTS);
        File png = ((TakesScreenshot) browser).getScreenshotAs(OutputType.FILE);
        Files.copy(png.toPath(), SCREENSHOTS.resolve(name + ".png"), StandardCopyOption.REPLACE_EXISTING);
    }

    /**
     * Waits until the element {@code id} of the page a click led to holds {@code expected}: a form's submit may still
     * be under way when {@code click()} returns, and the old page may have an element by the same id.
     */
    void await(String id, String expected) {
        new org.openqa.selenium.support.ui.WebDriverWait(browser, Duration.ofSeconds(30)).until(
                org.openqa.selenium.support.ui.ExpectedConditions.textToBePresentInElementLocated(By.id(id), expected));
    }

    /** Waits until the page a click led to is the one titled {@code title}. */
    void awaitPage(String title) {
        new org.openqa.selenium.support.ui.WebDriverWait(browser, Duration.ofSeconds(30)).until(
                org.openqa.selenium.support.ui.ExpectedConditions.titleIs(title + " · Keel"));
    }

    String text(String id) {
        return browser.findElement(By.id(id)).getText();
    }

    void signIn() {
        browser.get(url("/ui"));
        browser.findElement(By.id("token")).sendKeys(ServeApiTest.TOKEN);
        browser.findElement(By.id("sign-in")).click();
        await("accounts", "main");
    }

    /**
     * The review page and the transactions page's status filter list a transaction behind more others than 20 pages:
     * they read 20 times their page of every status and filtered that, and showed the review as none.
     */
    @Test
    void theReviewPageAndTheStatusFilterFindATransactionBehindManyOthers() {
        Instant at = clock.instant();
        List<JournalEvent> events = new ArrayList<>();
        events.add(JournalSamples.started("tx-review", "main", at));
        events.add(JournalSamples.ended("tx-review", "main", TransactionStatus.NEEDS_REVIEW, at));
        for (int i = 0; i < 1_001; i++) {
            events.add(JournalSamples.started("tx-done-" + i, "main", at.plusSeconds(i + 1)));
            events.add(JournalSamples.ended("tx-done-" + i, "main", TransactionStatus.COMPLETED,
                    at.plusSeconds(i + 1)));
        }
        runtime.journal().appendAll(events);

        signIn();
        browser.get(url("/ui/review"));
        await("review-transactions", "tx-review");
        browser.get(url("/ui/transactions?status=NEEDS_REVIEW"));
        await("transactions", "tx-review");
        assertThat(text("transactions")).doesNotContain("tx-done-");
        browser.get(url("/ui/transactions?status=COMPLETED&account=main"));
        await("transactions", "tx-done-1000");
        assertThat(text("transactions")).doesNotContain("tx-review");
    }

    @Test
    void anOperatorSignsInWalksEveryPageAndHaltsAndResumesTheAccount() throws IOException {
        String txId = runtime.engine().rebalance("main", null, ProgressListener.NONE).txId();

        browser.get(url("/ui"));
        assertThat(browser.getCurrentUrl()).endsWith("/ui/login");
        browser.findElement(By.id("token")).sendKeys("not-the-token");
        browser.findElement(By.id("sign-in")).click();
        await("login-problem", "not this server's token");
        screenshot("login");

        signIn();
        assertThat(browser.getCurrentUrl()).endsWith("/ui");
        assertThat(text("health")).isIn("HEALTHY", "WARNING", "CRITICAL");
        assertThat(text("accounts")).contains("main", "ACTIVE");
        assertThat(text("measures")).contains("Notifications waiting in the outbox");
        screenshot("overview");

        browser.findElement(By.id("nav-transactions")).click();
        await("transactions", txId);
        browser.findElement(By.linkText(txId)).click();
        await("orders", "VTI");
        assertThat(browser.getTitle()).contains(txId);
        assertThat(text("orders")).contains("sell", "buy", "VTI", "SUCCESS");
        screenshot("transaction");
        browser.navigate().back();
        awaitPage("Transactions");
        screenshot("transactions");

        browser.findElement(By.id("nav-operations")).click();
        awaitPage("Operations");
        assertThat(browser.findElement(By.tagName("main")).getText()).contains("Order operations");
        screenshot("operations");

        browser.findElement(By.id("nav-review")).click();
        awaitPage("Review");
        browser.findElement(By.id("reason-main")).sendKeys("browser drill");
        browser.findElement(By.id("halt-main")).click();
        await("review-accounts", "HALTED");
        assertThat(browser.getCurrentUrl()).endsWith("/ui/review");
        assertThat(text("review-accounts")).contains("HALTED", "dashboard: browser drill");
        assertThat(runtime.engine().status("main").state()).isEqualTo(TradingState.HALTED);
        screenshot("review");

        browser.findElement(By.id("reason-main")).sendKeys("drill over");
        browser.findElement(By.id("resume-main")).click();
        await("review-accounts", "ACTIVE");
        assertThat(runtime.engine().status("main").state()).isEqualTo(TradingState.ACTIVE);

        browser.findElement(By.id("nav-alerts")).click();
        awaitPage("Alerts");
        screenshot("alerts");

        try (var source = runtime.events("test")) {
            source.push("ev-bad-1", "main", "{\"event_id\": \"ev-bad-1\"}");
            source.deadLetter(source.take(Duration.ofMinutes(1)).orElseThrow(),
                    new dev.keel.core.events.Failure(dev.keel.core.error.ErrorCode.EVENT_INVALID, "no type"));
        }
        browser.findElement(By.id("nav-dead-letters")).click();
        awaitPage("Dead letters");
        assertThat(text("dead-letters")).contains("ev-bad-1", "EVENT_INVALID");
        screenshot("dead-letters");
        browser.findElement(By.id("note-ev-bad-1")).sendKeys("sender fixed");
        browser.findElement(By.id("resolve-ev-bad-1")).click();
        await("dead-letters", "resolved by dashboard: sender fixed");

        browser.findElement(By.id("sign-out")).click();
        // a form's submit may still be under way when click() returns: wait for the page it leads to
        new org.openqa.selenium.support.ui.WebDriverWait(browser, Duration.ofSeconds(30))
                .until(org.openqa.selenium.support.ui.ExpectedConditions.urlContains("/ui/login"));
        browser.get(url("/ui/review"));
        assertThat(browser.getCurrentUrl()).endsWith("/ui/login");
    }

    /** The session cookie's flags, and a form posted without the session's CSRF token changes nothing. */
    @Test
    void theSessionCookieIsHttpOnlyAndStrictAndAFormWithoutItsCsrfTokenIsRefused() throws Exception {
        HttpClient http = HttpClient.newHttpClient();
        HttpResponse<String> login = http.send(HttpRequest.newBuilder(URI.create(url("/ui/login")))
                .header("Content-Type", "application/x-www-form-urlencoded")
                .POST(HttpRequest.BodyPublishers.ofString("token=" + URLEncoder.encode(ServeApiTest.TOKEN,
                        StandardCharsets.UTF_8))).build(), HttpResponse.BodyHandlers.ofString());
        String cookie = login.headers().firstValue("Set-Cookie").orElseThrow();
        assertThat(cookie).contains("HttpOnly", "SameSite=Strict", "Path=/ui").doesNotContain(ServeApiTest.TOKEN);
        String session = cookie.substring(0, cookie.indexOf(';'));

        HttpResponse<String> forged = http.send(HttpRequest.newBuilder(URI.create(url("/ui/accounts/main/halt")))
                .header("Cookie", session).header("Content-Type", "application/x-www-form-urlencoded")
                .POST(HttpRequest.BodyPublishers.ofString("reason=forged")).build(),
                HttpResponse.BodyHandlers.ofString());
        assertThat(forged.statusCode()).isEqualTo(409);
        assertThat(forged.body()).contains("REQUEST_REFUSED", "CSRF");
        assertThat(runtime.engine().status("main").state()).isEqualTo(TradingState.ACTIVE);
    }
}
