package io.roster.launcher;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.icegreen.greenmail.util.GreenMail;
import com.icegreen.greenmail.util.GreenMailUtil;
import io.roster.infra.Ports;
import io.roster.testsupport.ApiClient;
import io.roster.testsupport.TestEnv;
import jakarta.mail.internet.MimeMessage;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.openqa.selenium.By;
import org.openqa.selenium.Keys;
import org.openqa.selenium.WebElement;

/**
 * The admin console in Debian's Chromium over the real stack from the packaged launcher: a person signs in,
 * invites, accepts from the mailed link, sorts, filters, searches, and is signed out by a force logout.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class ConsoleIT {

    static final String ADMIN = InviteFlowIT.ADMIN;
    static final String PASSWORD = InviteFlowIT.PASSWORD;
    /** Where the suite saves the screenshots the README shows. */
    static final java.nio.file.Path SCREENSHOTS = java.nio.file.Path.of("..", "docs", "screenshots");

    PackagedRoster system;
    GreenMail smtp;
    String base;
    ApiClient admin;
    String org;

    @BeforeAll
    void start() {
        Browser.requireInstalled();
        TestEnv test = TestEnv.create("console");
        Map<String, String> env = new HashMap<>(InviteFlowIT.env(test));
        int port = Ports.free();
        base = "http://127.0.0.1:" + port;
        env.put("ROSTER_HTTP_PORT", Integer.toString(port));
        env.put("ROSTER_PUBLIC_URL", base);
        smtp = InvitationIT.smtpFor(env);
        system = PackagedRoster.start(env);
        admin = new ApiClient(system.apiUri()).login(ADMIN, PASSWORD);
        org = InviteFlowIT.orgOf(admin);
        InviteFlowIT.awaitFinished(admin, admin.post("/api/v1/orgs/" + org + "/jobs/invite", Map.of("users", List.of(
                tagged(user("grace@console.example", "Grace", "Hopper", "Admin", "Arlington"), "speaker"),
                tagged(user("alan@console.example", "Alan", "Turing", "Staff", "Manchester"), "fellow", "speaker"),
                user("edsger@console.example", "Edsger", "Dijkstra", "User", "Austin"),
                tagged(user("barbara@console.example", "Barbara", "Liskov", "Staff", "Boston"), "fellow"),
                user("donald@console.example", "Donald", "Knuth", "User", "Stanford"))), Map.of()).header("Location"));
        // more than a page (50) of Users, for "all matching"
        List<Map<String, Object>> many = new ArrayList<>();
        for (int i = 0; i < 70; i++) {
            many.add(user(String.format("member%02d@console.example", i), "Member", String.format("%02d", i), "User",
                    i % 2 == 0 ? "Lyon" : "Porto"));
        }
        InviteFlowIT.awaitFinished(admin, admin.post("/api/v1/orgs/" + org + "/jobs/invite", Map.of("users", many),
                Map.of()).header("Location"));
    }

    @AfterAll
    void stop() {
        if (system != null) {
            system.close();
        }
        if (smtp != null) {
            smtp.stop();
        }
    }

    static Map<String, Object> user(String email, String first, String last, String role, String location) {
        return Map.of("email", email, "firstName", first, "lastName", last, "role", role, "location", location);
    }

    static Map<String, Object> tagged(Map<String, Object> user, String... tags) {
        Map<String, Object> copy = new java.util.HashMap<>(user);
        copy.put("tags", List.of(tags));
        return copy;
    }

    @Test
    void anInvitedPersonSetsAPasswordFromTheMailedLinkAndIsSignedIn() throws Exception {
        try (Browser browser = Browser.open(); Browser invited = Browser.open()) {
            browser.signIn(base, ADMIN, PASSWORD);
            browser.click(By.xpath("//button[text()='Invite user']"));
            WebElement dialog = browser.find(By.cssSelector("dialog[open]"));
            browser.type(By.xpath("//dialog//label[text()='User name']/following-sibling::input"), "Ada King Lovelace");
            browser.type(By.xpath("//dialog//label[text()='Email']/following-sibling::input"), "ada@console.example");
            new org.openqa.selenium.support.ui.Select(dialog.findElement(By.tagName("select"))).selectByValue("Staff");
            dialog.findElement(By.cssSelector("button[type=submit]")).click();
            browser.find(By.xpath("//article[contains(@class,'job')]//div[contains(@class,'job-state')]"
                    + "[starts-with(text(),'Done: 1 succeeded')]"));
            WebElement row = browser.find(By.xpath("//tr[td[3][text()='ada@console.example']]"));
            assertEquals("Ada King Lovelace", row.findElement(By.cssSelector("td:nth-child(2) button")).getText());
            assertEquals("ada@console.example",
                    row.findElement(By.cssSelector("td:nth-child(2) button")).getAttribute("title"), "hover shows the email");
            assertEquals("Staff", row.findElement(By.cssSelector("td:nth-child(4)")).getText());
            assertEquals("pending", row.findElement(By.cssSelector("td:nth-child(6)")).getText());

            String link = mailedLink("ada@console.example");
            assertTrue(link.startsWith(base + "/invitations/accept?token="), link);
            invited.go(link);
            invited.type(By.id("password"), "too short");
            invited.type(By.id("repeat"), "too short");
            invited.click(By.cssSelector("form button[type=submit]"));
            WebElement error = invited.find(By.id("password-error"));
            assertFalse(error.getText().isBlank(), "the policy's reason next to the field");
            assertEquals("true", invited.find(By.id("password")).getAttribute("aria-invalid"));
            invited.type(By.id("password"), "ada's analytical engine");
            invited.type(By.id("repeat"), "ada's analytical engine");
            invited.click(By.cssSelector("form button[type=submit]"));
            invited.find(By.cssSelector("table.users[aria-busy=false] tbody tr"));
            assertEquals("Ada King Lovelace (Staff)", invited.find(By.id("who")).getText());
            assertEquals(base + "/", invited.driver.getCurrentUrl(), "the token leaves the address bar");
        }
    }

    @Test
    void theNameCopiesTheEmailAndDialogsGiveFocusBackOnEscape() {
        try (Browser browser = Browser.open()) {
            browser.driver.executeCdpCommand("Browser.grantPermissions", Map.of("origin", base,
                    "permissions", List.of("clipboardReadWrite", "clipboardSanitizedWrite")));
            browser.signIn(base, ADMIN, PASSWORD);
            browser.type(By.id("search"), "grace");
            browser.until(d -> shownEmails(browser).equals(List.of("grace@console.example")));
            browser.click(By.xpath("//tr[td[3][text()='grace@console.example']]//td[2]/button"));
            Object copied = browser.driver.executeAsyncScript("const done = arguments[arguments.length - 1];"
                    + "navigator.clipboard.readText().then(done, e => done('error: ' + e))");
            assertEquals("grace@console.example", copied);

            // a dialog opened from the keyboard takes focus, Escape closes it, focus returns to what opened it
            WebElement invite = browser.find(By.xpath("//button[text()='Invite user']"));
            invite.sendKeys(Keys.ENTER);
            browser.find(By.cssSelector("dialog[open]"));
            assertEquals("input", browser.driver.switchTo().activeElement().getTagName(), "focus in the dialog");
            browser.driver.switchTo().activeElement().sendKeys(Keys.ESCAPE);
            browser.until(d -> d.findElements(By.cssSelector("dialog[open]")).isEmpty());
            assertEquals("Invite user", browser.driver.switchTo().activeElement().getText());
        }
    }

    @Test
    void everyColumnSortsBothWaysAsTheApiDoes() {
        try (Browser browser = Browser.open()) {
            browser.signIn(base, ADMIN, PASSWORD);
            for (String column : List.of("name", "email", "role", "location", "status", "lastLogin", "tags")) {
                for (String direction : List.of("asc", "desc")) {
                    String expected = direction.equals("asc") ? "ascending" : "descending";
                    By header = By.cssSelector("th[data-column=" + column + "]");
                    // a first click sorts a column ascending, the next one descending (name is sorted already)
                    for (int clicks = 0; clicks < 2 && !expected.equals(browser.find(header).getAttribute("aria-sort"));
                         clicks++) {
                        browser.click(By.cssSelector("button.sort[data-sort=" + column + "]"));
                    }
                    assertEquals(expected, browser.find(header).getAttribute("aria-sort"), column);
                    List<String> api = emails(admin.get("/api/v1/orgs/" + org + "/users?limit=50&sort=" + column
                            + "," + direction).json());
                    awaitShown(browser, api, column + "," + direction);
                }
            }
        }
    }

    @Test
    void roleAndStatusFiltersTakeSeveralChoicesAndReset_andSearchNarrows() {
        try (Browser browser = Browser.open()) {
            browser.signIn(base, ADMIN, PASSWORD);
            long everyone = admin.get("/api/v1/orgs/" + org + "/users?limit=1").json().get("total").asLong();
            browser.until(d -> d.findElement(By.id("user-count")).getText().equals(everyone + " users"));
            browser.click(By.id("filter-role"));
            browser.click(By.cssSelector("#filter-role-panel input[value=Admin]"));
            browser.click(By.cssSelector("#filter-role-panel input[value=Staff]"));
            browser.click(By.xpath("//div[@id='filter-role-panel']//button[text()='OK']"));
            List<String> api = emails(admin.get("/api/v1/orgs/" + org + "/users?limit=100&role=Admin,Staff").json());
            awaitShown(browser, api, "Admin and Staff");
            assertTrue(api.size() < everyone && api.size() >= 3, api.toString());
            for (WebElement role : browser.all(By.cssSelector("table.users tbody td:nth-child(4)"))) {
                assertTrue(List.of("Admin", "Staff").contains(role.getText()), role.getText());
            }
            assertEquals("Role (Admin, Staff)", browser.find(By.id("filter-role")).getText());

            browser.click(By.id("filter-status"));
            browser.click(By.cssSelector("#filter-status-panel input[value=pending]"));
            browser.click(By.xpath("//div[@id='filter-status-panel']//button[text()='OK']"));
            List<String> pendingStaff = emails(admin.get("/api/v1/orgs/" + org
                    + "/users?limit=100&role=Admin,Staff&status=pending").json());
            browser.until(d -> shownEmails(browser).equals(pendingStaff));
            assertFalse(pendingStaff.contains(ADMIN), "the admin has logged in: active");

            browser.click(By.id("filter-role"));
            browser.click(By.xpath("//div[@id='filter-role-panel']//button[text()='Reset']"));
            browser.click(By.id("filter-status"));
            browser.click(By.xpath("//div[@id='filter-status-panel']//button[text()='Reset']"));
            browser.until(d -> d.findElement(By.id("user-count")).getText().equals(everyone + " users"));
            assertTrue(shownEmails(browser).size() >= Math.min(50, everyone));

            browser.type(By.id("search"), "barb");
            browser.until(d -> shownEmails(browser).equals(List.of("barbara@console.example")));
        }
    }

    @Test
    void aForcedLogoutSignsTheOtherSessionOutAtOnce() throws Exception {
        String email = "forced@console.example";
        InviteFlowIT.awaitFinished(admin, admin.post("/api/v1/orgs/" + org + "/jobs/invite", Map.of("users",
                List.of(user(email, "Forced", "Out", "Admin", "Nowhere"))), Map.of()).header("Location"));
        try (Browser browser = Browser.open()) {
            String link = mailedLink(email);
            browser.go(link);
            browser.type(By.id("password"), "forced out password");
            browser.type(By.id("repeat"), "forced out password");
            browser.click(By.cssSelector("form button[type=submit]"));
            browser.find(By.cssSelector("table.users[aria-busy=false] tbody tr"));

            String id = InvitationIT.userId(admin, org, email);
            assertEquals(204, admin.post("/api/v1/users/" + id + "/logout", Map.of(), Map.of()).status());
            browser.type(By.id("search"), "a");
            WebElement notice = browser.find(By.cssSelector("form p[role=status]"));
            assertEquals("Your session has ended. Sign in again.", notice.getText());
            browser.find(By.id("email"));
        }
    }

    static List<String> emails(JsonNode page) {
        List<String> emails = new ArrayList<>();
        page.get("items").forEach(item -> emails.add(item.get("email").asText()));
        return emails;
    }

    /** The emails the table shows, read in one script (the rows may be re-rendered between two reads). */
    @SuppressWarnings("unchecked")
    static List<String> shownEmails(Browser browser) {
        return (List<String>) browser.script("return [...document.querySelectorAll("
                + "'table.users tbody tr[data-user] td:nth-child(3)')].map(td => td.textContent)");
    }

    /** Waits until the table shows {@code expected} first (further pages may follow it: the list scrolls on). */
    static void awaitShown(Browser browser, List<String> expected, String what) {
        try {
            browser.until(d -> prefix(shownEmails(browser), expected.size()).equals(expected));
        } catch (org.openqa.selenium.TimeoutException e) {
            assertEquals(expected, prefix(shownEmails(browser), expected.size()), what);
        }
    }

    static List<String> prefix(List<String> shown, int size) {
        return shown.size() > size ? shown.subList(0, size) : shown;
    }

    static final Pattern LINK = Pattern.compile("(http://127\\.0\\.0\\.1:\\d+/invitations/accept\\?token=[A-Za-z0-9_-]+)");

    /** The invitation link mailed to {@code email} (the latest one). */
    String mailedLink(String email) throws Exception {
        String[] link = new String[1];
        await().atMost(Duration.ofSeconds(60)).until(() -> {
            for (MimeMessage message : smtp.getReceivedMessages()) {
                if (message.getAllRecipients()[0].toString().equals(email)) {
                    Matcher matcher = LINK.matcher(GreenMailUtil.getBody(message).replace("=\r\n", "")
                            .replace("=3D", "="));
                    if (matcher.find()) {
                        link[0] = matcher.group(1);
                    }
                }
            }
            return link[0] != null;
        });
        return link[0];
    }

    @Test
    void aCsvImportShowsItsProgressAndThenTheFailedRows() throws Exception {
        java.nio.file.Path csv = java.nio.file.Files.createTempFile("roster-import-", ".csv");
        StringBuilder body = new StringBuilder("email,firstName,lastName,role,location\n");
        for (int i = 0; i < 400; i++) {
            body.append("imported").append(i).append("@console.example,Imported,").append(i).append(",User,Oslo\n");
            if (i == 100) {
                body.append("not an email,Bad,Email,User,Oslo\n");
            }
            if (i == 200) {
                body.append("wrong-role@console.example,Bad,Role,Emperor,Oslo\n");
            }
        }
        java.nio.file.Files.writeString(csv, body);
        try (Browser browser = Browser.open()) {
            browser.signIn(base, ADMIN, PASSWORD);
            browser.click(By.xpath("//button[text()='Import CSV']"));
            browser.find(By.cssSelector("dialog[open] input[type=file]")).sendKeys(csv.toAbsolutePath().toString());
            browser.click(By.cssSelector("dialog[open] button[type=submit]"));
            WebElement card = browser.find(By.cssSelector("article.job"));
            assertTrue(card.getText().contains("Import of " + csv.getFileName()), card.getText());
            // while it runs: the bar moves and the numbers say how far
            WebElement bar = card.findElement(By.tagName("progress"));
            browser.until(d -> Double.parseDouble(bar.getAttribute("value")) > 0
                    && !card.findElement(By.cssSelector(".job-state")).getText().startsWith("Done"));
            assertTrue(card.findElement(By.cssSelector(".meta")).getText().matches("[\\d,]+ of 402.*"),
                    card.findElement(By.cssSelector(".meta")).getText());
            browser.screenshot(SCREENSHOTS.resolve("import-in-progress.png"));
            awaitJob(browser, "Done: 400 succeeded, 2 failed");
            // the failed rows are fetched once the card says Done: wait for them, not for a fixed moment
            browser.until(d -> card.findElements(By.cssSelector("table tbody tr")).size() == 2);
            List<WebElement> failed = card.findElements(By.cssSelector("table tbody tr"));
            assertEquals(2, failed.size());
            assertEquals("102", failed.get(0).findElement(By.cssSelector("td:nth-child(1)")).getText(),
                    "the row number in the file (after the header)");
            assertEquals("email", failed.get(0).findElement(By.cssSelector("td:nth-child(2)")).getText());
            assertEquals("role", failed.get(1).findElement(By.cssSelector("td:nth-child(2)")).getText());
            assertFalse(failed.get(1).findElement(By.cssSelector("td:nth-child(3)")).getText().isBlank());
        }
    }

    @Test
    void allMatchingLessTwoUntickedRowsGetTheTag() {
        assertEquals(201, admin.post("/api/v1/orgs/" + org + "/tags", Map.of("name", "cohort"), Map.of()).status());
        try (Browser browser = Browser.open()) {
            browser.signIn(base, ADMIN, PASSWORD);
            browser.type(By.id("search"), "member");
            browser.until(d -> shownEmails(browser).size() == 50 && shownEmails(browser).stream()
                    .allMatch(e -> e.startsWith("member")));
            assertEquals("70 users", browser.find(By.id("user-count")).getText());
            browser.click(By.cssSelector("table.users thead input[type=checkbox]"));
            browser.click(By.xpath("//button[text()='Select all 70 matching']"));
            assertEquals("All 70 matching users selected", browser.find(By.id("selection-text")).getText());
            List<String> shown = shownEmails(browser);
            for (String email : List.of(shown.get(3), shown.get(7))) {
                browser.click(By.xpath("//tr[td[3][text()='" + email + "']]//input[@type='checkbox']"));
            }
            assertEquals("All 68 matching users selected (2 left out)", browser.find(By.id("selection-text")).getText());
            browser.click(By.xpath("//button[text()='Apply tag']"));
            new org.openqa.selenium.support.ui.Select(browser.find(By.cssSelector("dialog[open] select")))
                    .selectByValue("cohort");
            browser.click(By.cssSelector("dialog[open] button[type=submit]"));
            awaitJob(browser, "Done: 68 succeeded");
            List<String> tagged = emails(admin.get("/api/v1/orgs/" + org + "/users?limit=100&tag=cohort").json());
            assertEquals(68, tagged.size());
            assertFalse(tagged.contains(shown.get(3)) || tagged.contains(shown.get(7)), "the unticked rows");
        }
    }

    @Test
    void anExportOfTheTickedRowsIsDownloaded() throws Exception {
        java.nio.file.Path downloads = java.nio.file.Files.createTempDirectory("roster-downloads-");
        try (Browser browser = Browser.open(downloads)) {
            browser.signIn(base, ADMIN, PASSWORD);
            browser.type(By.id("search"), "console.example");
            // the search has applied once the admin (example.com) is gone
            browser.until(d -> shownEmails(browser).contains("alan@console.example")
                    && shownEmails(browser).stream().allMatch(e -> e.endsWith("@console.example")));
            int ticked = 0;
            for (String email : List.of("alan@console.example", "grace@console.example")) {
                browser.click(By.xpath("//tr[td[3][text()='" + email + "']]//input[@type='checkbox']"));
                String expected = ++ticked + " selected";
                browser.until(d -> expected.equals(d.findElement(By.id("selection-text")).getText()));
            }
            browser.click(By.xpath("//button[text()='Export CSV']"));
            browser.click(By.xpath("//article[contains(@class,'job')]//button[text()='Download CSV']"));
            java.nio.file.Path[] file = new java.nio.file.Path[1];
            try {
                await().atMost(Duration.ofSeconds(30)).until(() -> {
                    try (var files = java.nio.file.Files.list(downloads)) {
                        file[0] = files.filter(p -> p.toString().endsWith(".csv")).findFirst().orElse(null);
                    }
                    return file[0] != null;
                });
            } catch (org.awaitility.core.ConditionTimeoutException e) {
                try (var files = java.nio.file.Files.list(downloads)) {
                    throw new AssertionError("no CSV in " + downloads + " (" + files.toList() + "); the page says: "
                            + browser.driver.findElement(By.tagName("body")).getText(), e);
                }
            }
            String csv = java.nio.file.Files.readString(file[0]);
            assertTrue(csv.startsWith("name,email,role,location,status,lastLogin,tags"), csv);
            assertTrue(csv.contains("alan@console.example") && csv.contains("grace@console.example"), csv);
            assertEquals(3, csv.strip().split("\r\n").length, csv);
        }
    }

    @Test
    void deletingTakesTheTypedWordDelete() {
        try (Browser browser = Browser.open()) {
            browser.signIn(base, ADMIN, PASSWORD);
            rowAction(browser, "donald", "Donald Knuth", "Delete");
            browser.type(By.cssSelector("dialog[open] input"), "delete");
            browser.click(By.cssSelector("dialog[open] button[type=submit]"));
            WebElement error = browser.find(By.cssSelector("dialog[open] .field-error"));
            assertFalse(error.getText().isBlank(), "the API's reason next to the field");
            browser.type(By.cssSelector("dialog[open] input"), "DELETE");
            browser.click(By.cssSelector("dialog[open] button[type=submit]"));
            awaitJob(browser, "Done: 1 succeeded");
            browser.until(d -> shownEmails(browser).isEmpty());
            assertTrue(emails(admin.get("/api/v1/orgs/" + org + "/users?q=donald").json()).isEmpty());
        }
    }

    @Test
    void aUserIsTransferredToASubOrganizationsAdminAndFoundThereBySwitching() {
        try (Browser browser = Browser.open()) {
            browser.signIn(base, ADMIN, PASSWORD);
            // an admin creates the sub-organization in the page; the page switches to it
            browser.click(By.id("new-org"));
            browser.type(By.cssSelector("dialog[open] input"), "Research lab");
            browser.click(By.cssSelector("dialog[open] button[type=submit]"));
            // read in one script: the options are rebuilt when the organizations reload
            browser.until(d -> "Research lab".equals(browser.script("const s = document.getElementById('org-select');"
                    + " return s.selectedIndex < 0 ? null : s.options[s.selectedIndex].textContent.trim()")));
            String sub = (String) browser.script("return document.getElementById('org-select').value");
            assertEquals(org, admin.get("/api/v1/orgs/" + sub).json().get("parentId").asText());
            InviteFlowIT.awaitFinished(admin, admin.post("/api/v1/orgs/" + sub + "/jobs/invite", Map.of("users",
                    List.of(user("lab-admin@console.example", "Lab", "Admin", "Admin", "Cambridge"))), Map.of())
                    .header("Location"));
            new org.openqa.selenium.support.ui.Select(browser.find(By.id("org-select"))).selectByValue(org);
            rowAction(browser, "edsger", "Edsger Dijkstra", "Transfer");
            browser.type(By.cssSelector("dialog[open] input[type=email]"), "lab-admin@console.example");
            new org.openqa.selenium.support.ui.Select(browser.find(By.cssSelector("dialog[open] select")))
                    .selectByValue("Staff");
            browser.click(By.cssSelector("dialog[open] button[type=submit]"));
            awaitJob(browser, "Done: 1 succeeded");
            browser.until(d -> shownEmails(browser).isEmpty());

            browser.driver.navigate().refresh();
            new org.openqa.selenium.support.ui.Select(browser.find(By.id("org-select"))).selectByValue(sub);
            browser.until(d -> shownEmails(browser).contains("edsger@console.example"));
            WebElement row = browser.find(By.xpath("//tr[td[3][text()='edsger@console.example']]"));
            assertEquals("Staff", row.findElement(By.cssSelector("td:nth-child(4)")).getText());
        }
    }

    @Test
    void thePagesHaveNoSeriousOrCriticalAccessibilityViolations() throws Exception {
        String axe = java.nio.file.Files.readString(java.nio.file.Path.of("browser-tools", "node_modules", "axe-core",
                "axe.min.js"));
        try (Browser browser = Browser.open()) {
            browser.go(base + "/");
            browser.find(By.id("email"));
            assertNoSeriousViolations(browser, axe, "sign in");
            browser.go(base + "/invitations/accept?token=x");
            browser.find(By.id("repeat"));
            assertNoSeriousViolations(browser, axe, "accept an invitation");
            browser.signIn(base, ADMIN, PASSWORD);
            browser.screenshot(SCREENSHOTS.resolve("users-page.png"));
            assertNoSeriousViolations(browser, axe, "the Users page");
            browser.click(By.id("filter-role"));
            assertNoSeriousViolations(browser, axe, "the role filter open");
            browser.click(By.xpath("//button[text()='Invite user']"));
            browser.find(By.cssSelector("dialog[open]"));
            assertNoSeriousViolations(browser, axe, "the invite dialog");
        }
    }

    /**
     * Searches for the one user {@code search} finds and picks {@code action} in their row's menu with the keyboard
     * alone: Enter opens the menu on its first item, the arrow keys move, Enter picks.
     */
    static void rowAction(Browser browser, String search, String name, String action) {
        browser.type(By.id("search"), search);
        browser.until(d -> shownEmails(browser).size() == 1 && shownEmails(browser).get(0).startsWith(search));
        WebElement toggle = browser.find(By.cssSelector("button[aria-label='Actions for " + name + "']"));
        toggle.sendKeys(Keys.ENTER);
        for (int moves = 0; moves < 6 && !action.equals(browser.driver.switchTo().activeElement().getText());
             moves++) {
            browser.driver.switchTo().activeElement().sendKeys(Keys.ARROW_DOWN);
        }
        assertEquals(action, browser.driver.switchTo().activeElement().getText());
        browser.driver.switchTo().activeElement().sendKeys(Keys.ENTER);
        browser.find(By.cssSelector("dialog[open]"));
    }

    /** Waits until a job's card says {@code state}. */
    static void awaitJob(Browser browser, String state) {
        browser.find(By.xpath("//article[contains(@class,'job')]//div[contains(@class,'job-state')][text()='"
                + state + "']"));
    }

    /** Runs axe-core in the page; fails on any violation of impact serious or critical, listing them. */
    static void assertNoSeriousViolations(Browser browser, String axe, String page) {
        browser.script(axe);
        Object result = browser.driver.executeAsyncScript("const done = arguments[arguments.length - 1];"
                + "axe.run(document, { resultTypes: ['violations'] }).then(r => done(JSON.stringify(r.violations"
                + ".filter(v => v.impact === 'serious' || v.impact === 'critical').map(v => ({ id: v.id, impact: "
                + "v.impact, help: v.help, nodes: v.nodes.map(n => n.target.join(' ')) })))))"
                + ".catch(e => done('error: ' + e));");
        assertEquals("[]", result, page + ": " + result);
    }
}
