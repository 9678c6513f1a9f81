package io.roster.launcher;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.function.Function;
import org.junit.jupiter.api.Assumptions;
import org.openqa.selenium.By;
import org.openqa.selenium.JavascriptExecutor;
import org.openqa.selenium.OutputType;
import org.openqa.selenium.WebDriver;
import org.openqa.selenium.WebElement;
import org.openqa.selenium.chrome.ChromeDriver;
import org.openqa.selenium.chrome.ChromeDriverService;
import org.openqa.selenium.chrome.ChromeOptions;
import org.openqa.selenium.support.ui.WebDriverWait;

/**
 * Debian's Chromium, headless, driven through its own chromedriver (no browser is downloaded: Selenium Manager is
 * bypassed by naming both binaries). When they are missing the browser tests are skipped, unless
 * {@code ROSTER_BROWSER_TESTS=required} (set by {@code .ci/run}, which installs them): then they fail.
 */
final class Browser implements AutoCloseable {

    static final Path CHROMIUM = Path.of(System.getenv().getOrDefault("ROSTER_CHROMIUM", "/usr/bin/chromium"));
    static final Path CHROMEDRIVER = Path.of(System.getenv().getOrDefault("ROSTER_CHROMEDRIVER",
            "/usr/bin/chromedriver"));

    final ChromeDriver driver;
    final WebDriverWait wait;

    private Browser(ChromeDriver driver) {
        this.driver = driver;
        this.wait = new WebDriverWait(driver, Duration.ofSeconds(30), Duration.ofMillis(50));
    }

    /** Skips the calling test when no browser is installed here (fails instead when CI requires one). */
    static void requireInstalled() {
        boolean installed = Files.isExecutable(CHROMIUM) && Files.isExecutable(CHROMEDRIVER);
        if (!installed && "required".equals(System.getenv("ROSTER_BROWSER_TESTS"))) {
            throw new IllegalStateException("ROSTER_BROWSER_TESTS=required but " + CHROMIUM + " or " + CHROMEDRIVER
                    + " is missing: apt-get install chromium chromium-driver");
        }
        Assumptions.assumeTrue(installed, "no Chromium here (apt-get install chromium chromium-driver); "
                + "the browser tests are skipped");
    }

    static Browser open() {
        return open(null);
    }

    /** A browser that saves downloads into {@code downloads} (null: none expected). */
    static Browser open(Path downloads) {
        requireInstalled();
        ChromeOptions options = new ChromeOptions();
        if (downloads != null) {
            options.setExperimentalOption("prefs", java.util.Map.of("download.default_directory",
                    downloads.toAbsolutePath().toString(), "download.prompt_for_download", false));
        }
        options.setBinary(CHROMIUM.toFile());
        options.addArguments("--headless=new", "--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage",
                "--window-size=1400,1000", "--lang=en-US");
        ChromeDriverService service = new ChromeDriverService.Builder()
                .usingDriverExecutable(CHROMEDRIVER.toFile()).usingAnyFreePort().build();
        ChromeDriver driver = new ChromeDriver(service, options);
        if (downloads != null) {
            // headless Chromium saves downloads only where DevTools says
            driver.executeCdpCommand("Page.setDownloadBehavior", java.util.Map.of("behavior", "allow",
                    "downloadPath", downloads.toAbsolutePath().toString()));
        }
        return new Browser(driver);
    }

    void go(String url) {
        driver.get(url);
    }

    WebElement find(By by) {
        return wait.until(d -> {
            List<WebElement> found = d.findElements(by);
            return found.isEmpty() || !found.get(0).isDisplayed() ? null : found.get(0);
        });
    }

    List<WebElement> all(By by) {
        return driver.findElements(by);
    }

    <T> T until(Function<WebDriver, T> condition) {
        return wait.until(condition);
    }

    void type(By by, String text) {
        WebElement input = find(by);
        input.clear();
        input.sendKeys(text);
    }

    void click(By by) {
        find(by).click();
    }

    Object script(String script, Object... args) {
        return ((JavascriptExecutor) driver).executeScript(script, args);
    }

    /** Saves what the page shows now as a PNG. */
    void screenshot(Path file) {
        try {
            Files.createDirectories(file.getParent());
            Files.write(file, driver.getScreenshotAs(OutputType.BYTES));
        } catch (java.io.IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }

    /** Signs in through the page's form and waits for the users table. */
    void signIn(String base, String email, String password) {
        go(base + "/");
        type(By.id("email"), email);
        type(By.id("password"), password);
        click(By.cssSelector("form button[type=submit]"));
        find(By.cssSelector("table.users[aria-busy=false] tbody tr"));
    }

    @Override
    public void close() {
        driver.quit();
    }
}
