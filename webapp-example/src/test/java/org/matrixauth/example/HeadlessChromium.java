package org.matrixauth.example;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import org.junit.jupiter.api.Assumptions;
import org.openqa.selenium.chrome.ChromeDriver;
import org.openqa.selenium.chrome.ChromeDriverService;
import org.openqa.selenium.chrome.ChromeOptions;
import org.openqa.selenium.support.ui.WebDriverWait;

/**
 * Debian's Chromium, headless, driven through its chromedriver (WebDriver). Both are named by path,
 * so Selenium never looks for (or downloads) a browser of its own. Without them the test is skipped
 * with a message, and fails under {@code CI=true}, where {@code .ci/run} has installed them.
 */
final class HeadlessChromium implements AutoCloseable {
    static final Path CHROMIUM = Path.of(System.getProperty("browser.chromium", "/usr/bin/chromium"));
    static final Path CHROMEDRIVER = Path.of(System.getProperty("browser.chromedriver", "/usr/bin/chromedriver"));
    private static final Duration SCRIPT_TIMEOUT = Duration.ofSeconds(30);

    private final ChromeDriver driver;

    private HeadlessChromium(ChromeDriver driver) {
        this.driver = driver;
    }

    /** @param profile a directory of its own: a fresh profile, so nothing of an earlier run is reused */
    static HeadlessChromium start(Path profile) {
        requireInstalled();
        ChromeDriverService service = new ChromeDriverService.Builder().usingDriverExecutable(CHROMEDRIVER.toFile())
                .usingAnyFreePort().build();
        ChromeOptions options = new ChromeOptions();
        options.setBinary(CHROMIUM.toFile());
        // Headless without a sandbox (root in a container), and nothing that reaches for the network on its own:
        // on a closed network, those background fetches stall start-up or the page.
        options.addArguments("--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
                "--disable-background-networking", "--disable-component-update", "--disable-sync",
                "--user-data-dir=" + profile.toAbsolutePath());
        ChromeDriver driver = new ChromeDriver(service, options);
        driver.manage().timeouts().scriptTimeout(SCRIPT_TIMEOUT);
        return new HeadlessChromium(driver);
    }

    private static void requireInstalled() {
        if (Files.isExecutable(CHROMIUM) && Files.isExecutable(CHROMEDRIVER)) {
            return;
        }
        String message = "Chromium and chromedriver are not installed at " + CHROMIUM + ", " + CHROMEDRIVER
                + " (apt-get install chromium chromium-driver)";
        if ("true".equals(System.getenv("CI"))) {
            throw new AssertionError(message + ": under CI=true the browser test must run");
        }
        System.err.println("SKIPPED browser test: " + message);
        Assumptions.abort(message);
    }

    /**
     * Opens the page, waits for its module script, then calls {@code window.<function>(arguments...)}
     * and waits for the promise it returns: what it resolves to, as Selenium converts it (objects are maps).
     */
    Object call(String pageUrl, String function, Object... arguments) {
        driver.get(pageUrl);
        new WebDriverWait(driver, SCRIPT_TIMEOUT).until(d -> Boolean.TRUE.equals(
                driver.executeScript("return typeof window." + function + " === 'function'")));
        return driver.executeAsyncScript("const done = arguments[arguments.length - 1];"
                + "window." + function + "(...Array.from(arguments).slice(0, -1))"
                + ".then(done, e => done({ crashed: String(e) }));", arguments);
    }

    @Override
    public void close() {
        driver.quit();
    }
}
