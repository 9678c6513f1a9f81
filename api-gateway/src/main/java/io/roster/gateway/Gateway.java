package io.roster.gateway;

import io.micronaut.context.ApplicationContext;
import io.swagger.v3.oas.annotations.OpenAPIDefinition;
import io.swagger.v3.oas.annotations.enums.SecuritySchemeType;
import io.swagger.v3.oas.annotations.info.Info;
import io.swagger.v3.oas.annotations.security.SecurityScheme;
import io.micronaut.runtime.server.EmbeddedServer;
import io.roster.platform.Settings;
import java.net.URI;
import java.util.Map;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The API gateway app: a Micronaut HTTP server configured by {@code ROSTER_*} environment variables.
 * {@link #start(Map)} lets the launcher and tests run it on an environment of their own.
 */
@OpenAPIDefinition(
        info = @Info(title = "roster", version = "v1",
                description = "Roster: administer the users of organizations. Errors are application/problem+json. "
                        + "Every operation but login and accepting an invitation needs `Authorization: Bearer "
                        + "<token>`."))
@SecurityScheme(name = "bearer", type = SecuritySchemeType.HTTP, scheme = "bearer")
public final class Gateway implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(Gateway.class);

    private final ApplicationContext context;
    private final EmbeddedServer server;

    private Gateway(ApplicationContext context, EmbeddedServer server) {
        this.context = context;
        this.server = server;
    }

    public static Gateway start(Map<String, String> env) {
        Settings settings = new Settings(env);
        GatewayConfig config = GatewayConfig.from(settings);
        ApplicationContext context = ApplicationContext.builder()
                .deduceEnvironment(false)
                .properties(Map.of(
                        "micronaut.server.host", config.host(),
                        "micronaut.server.port", config.port(),
                        "micronaut.server.max-request-size", config.maxRequestBytes()))
                .singletons(settings)
                .start();
        try {
            requireOwnConfiguration(context);
            EmbeddedServer server = context.getBean(EmbeddedServer.class).start();
            LOG.info("API gateway listening on {}", server.getURI());
            return new Gateway(context, server);
        } catch (RuntimeException e) {
            context.close();
            throw e;
        }
    }

    /**
     * Fails the start when the gateway's {@code application.yml} was not read (a classpath without a YAML parser
     * once served a gateway that accepted unknown fields and exposed every management endpoint): a gateway runs
     * with its own configuration or not at all.
     */
    static void requireOwnConfiguration(ApplicationContext context) {
        boolean strict = context.getProperty("micronaut.serde.deserialization.ignore-unknown", Boolean.class)
                .map(ignore -> !ignore).orElse(false);
        if (!strict || context.getProperty("endpoints.all.enabled", Boolean.class).orElse(true)) {
            throw new IllegalStateException("the gateway's application.yml was not read (is snakeyaml on the "
                    + "classpath?): refusing to serve without it");
        }
    }

    public URI uri() {
        return URI.create("http://127.0.0.1:" + server.getPort());
    }

    public ApplicationContext context() {
        return context;
    }

    @Override
    public void close() {
        server.stop();
        context.close();
    }

    public static void main(String[] args) {
        Gateway gateway = start(System.getenv());
        Runtime.getRuntime().addShutdownHook(new Thread(gateway::close, "gateway-shutdown"));
    }
}
