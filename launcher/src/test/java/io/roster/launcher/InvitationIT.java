package io.roster.launcher;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.icegreen.greenmail.util.GreenMail;
import com.icegreen.greenmail.util.GreenMailUtil;
import com.icegreen.greenmail.util.ServerSetup;
import io.roster.infra.Ports;
import io.roster.persistence.Database;
import io.roster.testsupport.ApiClient;
import io.roster.testsupport.Sql;
import io.roster.testsupport.TestEnv;
import jakarta.mail.internet.MimeMessage;
import java.time.Duration;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

/**
 * Invitations end to end, mailed over real SMTP to a GreenMail server: the link's token sets the password once;
 * used, revoked, replaced and expired tokens get a clear error.
 */
class InvitationIT {

    static final Pattern TOKEN = Pattern.compile("https://console\\.example/invitations/accept\\?token=([A-Za-z0-9_-]+)");

    @Test
    void invitationsAreMailedAcceptedOnceResentAndRevoked() throws Exception {
        TestEnv test = TestEnv.create("invitations");
        Map<String, String> env = new HashMap<>(InviteFlowIT.env(test));
        GreenMail smtp = smtpFor(env);
        env.put("ROSTER_PUBLIC_URL", "https://console.example");
        try (PackagedRoster system = PackagedRoster.start(env); var pool = Database.pool(test.db(), "invitations")) {
            ApiClient anonymous = new ApiClient(system.apiUri());
            ApiClient admin = anonymous.login(InviteFlowIT.ADMIN, InviteFlowIT.PASSWORD);
            String org = InviteFlowIT.orgOf(admin);
            InviteFlowIT.awaitFinished(admin, admin.post("/api/v1/orgs/" + org + "/jobs/invite", Map.of("users", List.of(
                    Map.of("email", "ada@inv.example", "firstName", "Ada"),
                    Map.of("email", "bob@inv.example", "firstName", "Bob"),
                    Map.of("email", "carol@inv.example", "firstName", "Carol"),
                    Map.of("email", "dave@inv.example", "firstName", "Dave"))), Map.of()).header("Location"));

            Map<String, String> tokens = awaitTokens(smtp, 4);
            assertEquals(4, tokens.size());
            assertEquals(401, anonymous.post("/api/v1/auth/login", Map.of("email", "ada@inv.example",
                    "password", "ada's new password"), Map.of()).status(), "no password before accepting");

            ApiClient.Response accepted = accept(anonymous, tokens.get("ada@inv.example"), "ada's new password");
            assertEquals(200, accepted.status(), "accepting signs the user in");
            assertEquals("ada@inv.example", accepted.json().at("/user/email").asText());
            ApiClient ada = new ApiClient(system.apiUri()).withToken(accepted.json().get("token").asText());
            assertEquals(204, ada.post("/api/v1/auth/logout", Map.of(), Map.of()).status(),
                    "the session accepting gave is a live one");
            assertEquals(200, anonymous.post("/api/v1/auth/login", Map.of("email", "ada@inv.example",
                    "password", "ada's new password"), Map.of()).status());
            ApiClient.Response reused = accept(anonymous, tokens.get("ada@inv.example"), "another password!");
            assertEquals(410, reused.status());
            assertEquals("/problems/invitation-used", reused.json().get("type").asText());

            String bob = userId(admin, org, "bob@inv.example");
            assertEquals(202, admin.post("/api/v1/users/" + bob + "/invitation", Map.of(), Map.of()).status());
            Map<String, String> resent = awaitTokens(smtp, 5);
            assertTrue(!resent.get("bob@inv.example").equals(tokens.get("bob@inv.example")), "a new token");
            assertEquals("/problems/invitation-revoked", accept(anonymous, tokens.get("bob@inv.example"),
                    "bob's new password").json().get("type").asText(), "the old token is dead");
            assertEquals(200, accept(anonymous, resent.get("bob@inv.example"), "bob's new password").status());

            String carol = userId(admin, org, "carol@inv.example");
            assertEquals(204, admin.send("DELETE", "/api/v1/users/" + carol + "/invitation", null).status());
            assertEquals(410, accept(anonymous, tokens.get("carol@inv.example"), "carol's new password").status());
            assertEquals(404, admin.send("DELETE", "/api/v1/users/" + carol + "/invitation", null).status());

            assertEquals(1, Sql.count(pool, "WITH expired AS (UPDATE users SET invite_expires_at = now() - interval "
                    + "'1 second' WHERE id = '" + userId(admin, org, "dave@inv.example") + "' RETURNING 1) "
                    + "SELECT count(*) FROM expired"));
            assertEquals("/problems/invitation-expired", accept(anonymous, tokens.get("dave@inv.example"),
                    "dave's new password").json().get("type").asText());
            assertEquals(404, accept(anonymous, "no-such-token", "whatever password").status());
            assertEquals(400, accept(anonymous, resent.get("bob@inv.example"), "short").status());
        } finally {
            smtp.stop();
        }
    }

    static ApiClient.Response accept(ApiClient client, String token, String password) {
        return client.post("/api/v1/invitations/accept", Map.of("token", token, "password", password), Map.of());
    }

    static String userId(ApiClient admin, String org, String email) {
        return StatusFlowIT.user(admin, org, email).get("id").asText();
    }

    /** The latest invitation token of each recipient, once {@code count} mails have arrived. */
    /** A real SMTP server on a free loopback port, started, with {@code env}'s mailer pointed at it. */
    static GreenMail smtpFor(Map<String, String> env) {
        int port = Ports.free();
        GreenMail smtp = new GreenMail(new ServerSetup(port, "127.0.0.1", ServerSetup.PROTOCOL_SMTP));
        smtp.start();
        env.putAll(Map.of("ROSTER_SMTP_HOST", "127.0.0.1", "ROSTER_SMTP_PORT", Integer.toString(port)));
        return smtp;
    }

    static Map<String, String> awaitTokens(GreenMail smtp, int count) throws Exception {
        await().atMost(Duration.ofSeconds(60)).until(() -> smtp.getReceivedMessages().length >= count);
        Map<String, String> tokens = new HashMap<>();
        for (MimeMessage message : Arrays.asList(smtp.getReceivedMessages())) {
            Matcher matcher = TOKEN.matcher(GreenMailUtil.getBody(message).replace("=\r\n", "").replace("=3D", "="));
            assertTrue(matcher.find(), GreenMailUtil.getBody(message));
            tokens.put(message.getAllRecipients()[0].toString(), matcher.group(1));
        }
        return tokens;
    }
}
