package io.roster.gateway.console;

import io.micronaut.http.HttpResponse;
import io.micronaut.http.MediaType;
import io.micronaut.http.annotation.Controller;
import io.micronaut.http.annotation.Get;
import io.micronaut.http.annotation.Produces;
import io.swagger.v3.oas.annotations.Hidden;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;

/**
 * The admin console's page: {@code /} and the invitation link's {@code /invitations/accept} answer the same
 * document, whose script shows what the address asks for. Its scripts and styles are static resources under
 * {@code /console/} (application.yml); nothing is loaded from anywhere else, which the page's Content Security
 * Policy enforces.
 */
@Controller
@Hidden
public class ConsoleController {

    /** Only this origin's scripts, styles and connections; no frames, no plugins, no inline script. */
    static final String POLICY = "default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data:; "
            + "connect-src 'self'; object-src 'none'; base-uri 'none'; form-action 'self'; frame-ancestors 'none'";

    private final String page;

    public ConsoleController() {
        try (InputStream in = ConsoleController.class.getResourceAsStream("/console/index.html")) {
            if (in == null) {
                throw new IllegalStateException("console/index.html is missing from the gateway's resources");
            }
            page = new String(in.readAllBytes(), StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    @Get
    @Produces(MediaType.TEXT_HTML)
    public HttpResponse<String> index() {
        return document();
    }

    @Get("/invitations/accept")
    @Produces(MediaType.TEXT_HTML)
    public HttpResponse<String> acceptInvitation() {
        return document();
    }

    private HttpResponse<String> document() {
        return HttpResponse.ok(page)
                .header("Content-Security-Policy", POLICY)
                .header("X-Content-Type-Options", "nosniff")
                .header("Referrer-Policy", "no-referrer")
                .header("Cache-Control", "no-cache");
    }
}
