package dev.keel.app;

import static org.assertj.core.api.Assertions.assertThat;

import dev.keel.app.config.KeelConfig;
import dev.keel.app.runtime.KeelRuntime;
import dev.keel.core.model.TradingState;
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

    String text(String id) {
        return browser.findElement(By.id(id)).getText();
    }

    void signIn() {
        browser.get(url("/ui"));
        browser.findElement(By.id("token")).sendKeys(ServeApiTest.TOKEN);
        browser.findElement(By.id("sign-in")).click();
    }

    @Test
    void anOperatorSignsInWalksEveryPageAndHaltsAndResumesTheAccount() throws IOException {
        String txId = runtime.engine().rebalance("main", null, ProgressListener.NONE).txId();

        browser.get(url("/ui"));
        assertThat(browser.getCurrentUrl()).endsWith("/ui/login");
        browser.findElement(By.id("token")).sendKeys("not-the-token");
        browser.findElement(By.id("sign-in")).click();
        assertThat(text("login-problem")).contains("not this server's token");
        screenshot("login");

        signIn();
        assertThat(browser.getCurrentUrl()).endsWith("/ui");
        assertThat(text("health")).isIn("HEALTHY", "WARNING", "CRITICAL");
        assertThat(text("accounts")).contains("main", "ACTIVE");
        assertThat(text("measures")).contains("Notifications waiting in the outbox");
        screenshot("overview");

        browser.findElement(By.id("nav-transactions")).click();
        assertThat(text("transactions")).contains(txId);
        browser.findElement(By.linkText(txId)).click();
        assertThat(browser.getTitle()).contains(txId);
        assertThat(text("orders")).contains("sell", "buy", "VTI", "SUCCESS");
        screenshot("transaction");
        browser.navigate().back();
        screenshot("transactions");

        browser.findElement(By.id("nav-operations")).click();
        assertThat(browser.findElement(By.tagName("main")).getText()).contains("Order operations");
        screenshot("operations");

        browser.findElement(By.id("nav-review")).click();
        browser.findElement(By.id("reason-main")).sendKeys("browser drill");
        browser.findElement(By.id("halt-main")).click();
        assertThat(browser.getCurrentUrl()).endsWith("/ui/review");
        assertThat(text("review-accounts")).contains("HALTED", "dashboard: browser drill");
        assertThat(runtime.engine().status("main").state()).isEqualTo(TradingState.HALTED);
        screenshot("review");

        browser.findElement(By.id("reason-main")).sendKeys("drill over");
        browser.findElement(By.id("resume-main")).click();
        assertThat(text("review-accounts")).contains("ACTIVE");
        assertThat(runtime.engine().status("main").state()).isEqualTo(TradingState.ACTIVE);

        browser.findElement(By.id("nav-alerts")).click();
        assertThat(browser.getTitle()).startsWith("Alerts");
        screenshot("alerts");

        browser.findElement(By.id("sign-out")).click();
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
