package io.roster.launcher;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.roster.gateway.GatewayConfig;
import io.roster.persistence.DbSettings;
import io.roster.platform.KafkaSettings;
import io.roster.platform.Settings;
import io.roster.streams.StreamsConfigSettings;
import io.roster.workers.WorkersConfig;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Consumer;
import org.junit.jupiter.api.Test;
import org.yaml.snakeyaml.LoaderOptions;
import org.yaml.snakeyaml.Yaml;

/**
 * docker-compose.yml names every service the system needs, and gives each app exactly the settings its
 * configuration reads (so a renamed or new setting cannot be forgotten there).
 */
class ComposeFileTest {

    @SuppressWarnings("unchecked")
    static Map<String, Object> services() throws IOException {
        LoaderOptions options = new LoaderOptions();
        options.setMaxAliasesForCollections(50);
        try (InputStream in = Files.newInputStream(Path.of("..", "docker-compose.yml"))) {
            Map<String, Object> compose = new Yaml(options).load(in);
            return (Map<String, Object>) compose.get("services");
        }
    }

    @SuppressWarnings("unchecked")
    static Set<String> environment(String service) throws IOException {
        Map<String, Object> spec = (Map<String, Object>) services().get(service);
        return ((Map<String, Object>) spec.get("environment")).keySet();
    }

    static Set<String> requested(Consumer<Settings> reader) {
        Settings settings = new Settings(Map.of());
        reader.accept(settings);
        return settings.requested();
    }

    @Test
    void everyServiceIsThere() throws IOException {
        assertTrue(services().keySet().containsAll(
                List.of("kafka", "postgres", "mailpit", "api-gateway", "workers", "streams-topology")), services().keySet().toString());
    }

    @Test
    void eachAppGetsExactlyTheSettingsItReads() throws IOException {
        assertEquals(requested(s -> {
            GatewayConfig.from(s);
            KafkaSettings.from(s);
            DbSettings.from(s);
        }), environment("api-gateway"));
        assertEquals(requested(WorkersConfig::from), environment("workers"));
        assertEquals(requested(StreamsConfigSettings::from), environment("streams-topology"));
    }

    @Test
    @SuppressWarnings("unchecked")
    void appsPublishTheirPortsAndReachTheBrokerAndDatabaseByServiceName() throws IOException {
        Map<String, Object> services = services();
        Map<String, String> ports = Map.of("api-gateway", "8080:8080", "workers", "8081:8081",
                "streams-topology", "8082:8082", "kafka", "29092:29092", "postgres", "5432:5432", "mailpit", "8025:8025");
        ports.forEach((service, port) -> assertTrue(
                ((List<String>) ((Map<String, Object>) services.get(service)).get("ports")).contains(port), service));
        Map<String, Object> gateway = (Map<String, Object>) ((Map<String, Object>) services.get("api-gateway"))
                .get("environment");
        assertEquals("kafka:9092", gateway.get("ROSTER_KAFKA_BOOTSTRAP_SERVERS"));
        assertEquals("jdbc:postgresql://postgres:5432/roster", gateway.get("ROSTER_DB_URL"));
        Set<String> builtApps = new HashSet<>();
        for (String app : List.of("api-gateway", "workers", "streams-topology")) {
            Map<String, Object> build = (Map<String, Object>) ((Map<String, Object>) services.get(app)).get("build");
            builtApps.add((String) ((Map<String, Object>) build.get("args")).get("APP"));
        }
        assertEquals(Set.of("api-gateway", "workers", "streams-topology"), builtApps);
    }

    /**
     * Each app's image runs a main class that exists, from a module of that name, with the MAIN it was built
     * with.
     */
    @Test
    @SuppressWarnings("unchecked")
    void eachImageRunsAMainClassOfItsModule() throws Exception {
        for (String app : List.of("api-gateway", "workers", "streams-topology")) {
            Map<String, Object> args = (Map<String, Object>) ((Map<String, Object>) ((Map<String, Object>) services()
                    .get(app)).get("build")).get("args");
            Class<?> main = Class.forName((String) args.get("MAIN"));
            java.lang.reflect.Method method = main.getMethod("main", String[].class);
            assertTrue(java.lang.reflect.Modifier.isStatic(method.getModifiers()), app);
            String pom = Files.readString(Path.of("..", app, "pom.xml"));
            assertTrue(pom.contains("<artifactId>" + app + "</artifactId>"), app + "'s module is named " + app);
            Path classes = Path.of("..", app, "target", "classes", main.getName().replace('.', '/') + ".class");
            assertTrue(Files.exists(classes), main.getName() + " is built by " + app);
        }
        String dockerfile = Files.readString(Path.of("..", "Dockerfile"));
        // that its build line builds each app from a clean checkout is DeploymentFilesIT's (it runs the line)
        assertTrue(dockerfile.contains("$MAIN_CLASS"), "the image runs the MAIN it was built with");
    }

    /**
     * Prometheus scrapes each app's service at the port the app serves on (its own setting in compose) and the path
     * the apps serve metrics at; Grafana's mounts exist in the repository, and the dashboard's panels use the data
     * source Grafana is provisioned with.
     */
    @Test
    @SuppressWarnings("unchecked")
    void prometheusScrapesEachAppAndGrafanaLoadsTheDashboard() throws IOException {
        Map<String, Object> services = services();
        Map<String, Object> prometheus;
        try (InputStream in = Files.newInputStream(Path.of("..", "deploy", "prometheus", "prometheus.yml"))) {
            prometheus = new Yaml().load(in);
        }
        Map<String, String> ports = Map.of("api-gateway", "ROSTER_HTTP_PORT", "workers", "ROSTER_WORKERS_HEALTH_PORT",
                "streams-topology", "ROSTER_STREAMS_HEALTH_PORT");
        List<Map<String, Object>> jobs = (List<Map<String, Object>>) prometheus.get("scrape_configs");
        assertEquals(ports.keySet(), new HashSet<>(jobs.stream().map(j -> (String) j.get("job_name")).toList()));
        for (Map<String, Object> job : jobs) {
            String app = (String) job.get("job_name");
            assertEquals("/prometheus", job.get("metrics_path"), app);
            Map<String, Object> sd = ((List<Map<String, Object>>) job.get("dns_sd_configs")).get(0);
            assertEquals(List.of(app), sd.get("names"), "scrapes every replica of the service " + app);
            Map<String, Object> env = (Map<String, Object>) ((Map<String, Object>) services.get(app)).get("environment");
            assertEquals(env.get(ports.get(app)), String.valueOf(sd.get("port")), app + "'s port");
        }
        for (String service : List.of("prometheus", "grafana")) {
            for (String volume : (List<String>) ((Map<String, Object>) services.get(service)).get("volumes")) {
                if (volume.startsWith("./")) {
                    Path host = Path.of("..", volume.substring(2, volume.indexOf(':')));
                    assertTrue(Files.exists(host), service + " mounts " + host + ", which must exist");
                }
            }
        }
        String dashboard = Files.readString(Path.of("..", "deploy", "grafana", "dashboards", "roster.json"));
        String datasources = Files.readString(Path.of("..", "deploy", "grafana", "provisioning", "datasources",
                "prometheus.yml"));
        assertTrue(datasources.contains("uid: prometheus") && datasources.contains("url: http://prometheus:9090"));
        assertTrue(dashboard.contains("\"uid\": \"prometheus\"") && !dashboard.contains("${DS_"),
                "panels name the provisioned data source, not an import variable");
    }
}
