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
import org.openqa.selenium.WebElement;

/**
 * The admin console in Debian's Chromium over the real stack from the packaged launcher: a person signs in,
 * invites, accepts from the mailed link, sorts, filters, searches, and is signed out by a force logout.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class ConsoleIT {

    static final String ADMIN = InviteFlowIT.ADMIN;
    static final String PASSWORD = InviteFlowIT.PASSWORD;

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
                user("grace@console.example", "Grace", "Hopper", "Admin", "Arlington"),
                user("alan@console.example", "Alan", "Turing", "Staff", "Manchester"),
                user("edsger@console.example", "Edsger", "Dijkstra", "User", "Austin"),
                user("barbara@console.example", "Barbara", "Liskov", "Staff", "Boston"),
                user("donald@console.example", "Donald", "Knuth", "User", "Stanford"))), Map.of()).header("Location"));
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
    void everyColumnSortsBothWaysAsTheApiDoes() {
        try (Browser browser = Browser.open()) {
            browser.signIn(base, ADMIN, PASSWORD);
            for (String column : List.of("name", "email", "role", "location", "status", "lastLogin")) {
                for (String direction : List.of("asc", "desc")) {
                    String expected = direction.equals("asc") ? "ascending" : "descending";
                    By header = By.cssSelector("th[data-column=" + column + "]");
                    // a first click sorts a column ascending, the next one descending (name is sorted already)
                    for (int clicks = 0; clicks < 2 && !expected.equals(browser.find(header).getAttribute("aria-sort"));
                         clicks++) {
                        browser.click(By.cssSelector("button.sort[data-sort=" + column + "]"));
                    }
                    assertEquals(expected, browser.find(header).getAttribute("aria-sort"), column);
                    List<String> api = emails(admin.get("/api/v1/orgs/" + org + "/users?limit=100&sort=" + column
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
            int everyone = shownEmails(browser).size();
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
            browser.until(d -> shownEmails(browser).size() == everyone);

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

    static void awaitShown(Browser browser, List<String> expected, String what) {
        try {
            browser.until(d -> shownEmails(browser).equals(expected));
        } catch (org.openqa.selenium.TimeoutException e) {
            assertEquals(expected, shownEmails(browser), what);
        }
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
}
