package io.roster.bench;

import com.zaxxer.hikari.HikariDataSource;
import io.roster.gateway.Gateway;
import io.roster.infra.EmbeddedPostgresServer;
import io.roster.infra.KraftBroker;
import java.net.http.HttpClient;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.UUID;
import org.openqa.selenium.By;
import org.openqa.selenium.JavascriptExecutor;
import org.openqa.selenium.chrome.ChromeDriver;
import org.openqa.selenium.chrome.ChromeDriverService;
import org.openqa.selenium.chrome.ChromeOptions;
import org.openqa.selenium.support.ui.WebDriverWait;

/**
 * The Users page in Debian's Chromium (headless) on one organization of 1,000,000 generated users: the time from
 * opening the page to its first rows on screen, and from asking for more to the next page's rows on screen (the
 * page's own {@code performance.mark}s: what the person waits for, with the page's scripts, the API and rendering),
 * against the API request for the same rows alone, timed in the same run. Each view is opened {@code --reps} times;
 * each "next page" goes one page deeper.
 */
final class PageBench {

    private PageBench() {
    }

    static void run(Bench.Options options) throws Exception {
        int users = options.integer("users", 1_000_000);
        int reps = options.integer("reps", 20);
        Path chromium = Path.of(System.getenv().getOrDefault("ROSTER_CHROMIUM", "/usr/bin/chromium"));
        Path chromedriver = Path.of(System.getenv().getOrDefault("ROSTER_CHROMEDRIVER", "/usr/bin/chromedriver"));
        if (!Files.isExecutable(chromium) || !Files.isExecutable(chromedriver)) {
            throw new IllegalStateException("the page benchmark needs Chromium: apt-get install chromium chromium-driver");
        }
        Path dir = Files.createTempDirectory("roster-bench-page-");
        try (KraftBroker broker = KraftBroker.start(dir.resolve("kafka"), 0, 4);
             EmbeddedPostgresServer postgres = EmbeddedPostgresServer.start(dir.resolve("pg"), 0, false)) {
            try (Gateway gateway = Gateway.start(ListBench.gatewayEnv(broker, postgres));
                 HikariDataSource pool = ListBench.benchPool(postgres)) {
                HttpClient http = HttpClient.newHttpClient();
                BenchLogin login = BenchLogin.of(http, gateway.uri());
                UUID org = UUID.fromString(login.orgId());
                System.err.printf("generating %,d users with COPY...%n", users);
                ListBench.generate(pool, org, users);
                String base = "http://127.0.0.1:" + gateway.uri().getPort();

                ChromeOptions chrome = new ChromeOptions();
                chrome.setBinary(chromium.toFile());
                chrome.addArguments("--headless=new", "--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage",
                        "--window-size=1400,1000");
                ChromeDriver driver = new ChromeDriver(new ChromeDriverService.Builder()
                        .usingDriverExecutable(chromedriver.toFile()).usingAnyFreePort().build(), chrome);
                try {
                    WebDriverWait wait = new WebDriverWait(driver, Duration.ofSeconds(60), Duration.ofMillis(5));
                    driver.get(base + "/");
                    driver.findElement(By.id("email")).sendKeys(BenchLogin.EMAIL);
                    driver.findElement(By.id("password")).sendKeys(BenchLogin.PASSWORD);
                    driver.findElement(By.cssSelector("form button[type=submit]")).click();
                    wait.until(d -> mark(d, "roster:rows") != null);

                    Table table = new Table("view", "page", "in Chromium p50", "in Chromium p99", "API alone p50",
                            "API alone p99");
                    for (String[] view : List.<String[]>of(new String[] {"sorted by name", ""})) {
                        double[] first = new double[reps];
                        double[] next = new double[reps];
                        for (int i = 0; i < reps; i++) {
                            // a fresh page load: HTML, scripts, the organization, the list, rendering
                            driver.get(base + "/" + view[1]);
                            wait.until(d -> mark(d, "roster:rows") != null);
                            first[i] = mark(driver, "roster:rows");
                            // the next page, i + 1 pages deep
                            for (int page = 0; page <= i % 5; page++) {
                                int before = rows(driver);
                                driver.findElement(By.id("load-more")).click();
                                wait.until(d -> rows(d) > before && mark(d, "roster:more") != null);
                                next[i] = measure(driver, "roster:more-start", "roster:more");
                                ((JavascriptExecutor) driver).executeScript(
                                        "performance.clearMarks('roster:more'); performance.clearMarks('roster:more-start')");
                            }
                        }
                        String query = view[1].isEmpty() ? "" : view[1].substring(1);
                        double[] apiFirst = ListBench.percentiles(ListBench.timeApi(http, gateway.uri(),
                                "/api/v1/orgs/" + org + "/users?limit=50&" + (query.isEmpty() ? "sort=name,asc" : query),
                                login.token(), reps));
                        double[] f = ListBench.percentiles(first);
                        double[] n = ListBench.percentiles(next);
                        table.row(view[0], "first rows (page opened)", Table.millis(f[0]), Table.millis(f[1]),
                                Table.millis(apiFirst[0]), Table.millis(apiFirst[1]));
                        table.row(view[0], "next page (Load more)", Table.millis(n[0]), Table.millis(n[1]),
                                "", "");
                    }
                    System.out.printf("%nThe Users page in Chromium (headless), one organization of %,d users, 50 rows "
                            + "a page, %d runs each%n(first rows: from navigation start to the rows on screen, "
                            + "page scripts and rendering included; API alone: the first page's request, total "
                            + "included, from a Java client)%n%n", users, reps);
                    table.print();
                } finally {
                    driver.quit();
                }
            }
        }
    }

    private static Double mark(org.openqa.selenium.WebDriver driver, String name) {
        Object value = ((JavascriptExecutor) driver).executeScript(
                "const m = performance.getEntriesByName(arguments[0]); return m.length ? m[m.length - 1].startTime : null",
                name);
        return value == null ? null : ((Number) value).doubleValue();
    }

    private static double measure(org.openqa.selenium.WebDriver driver, String start, String end) {
        return ((Number) ((JavascriptExecutor) driver).executeScript(
                "return performance.measure('m', arguments[0], arguments[1]).duration", start, end)).doubleValue();
    }

    private static int rows(org.openqa.selenium.WebDriver driver) {
        return ((Number) ((JavascriptExecutor) driver).executeScript(
                "return document.querySelectorAll('table.users tbody tr[data-user]').length")).intValue();
    }
}
