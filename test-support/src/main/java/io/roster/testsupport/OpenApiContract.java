package io.roster.testsupport;

import com.atlassian.oai.validator.OpenApiInteractionValidator;
import com.atlassian.oai.validator.model.Request;
import com.atlassian.oai.validator.model.SimpleResponse;
import com.atlassian.oai.validator.report.ValidationReport;
import java.net.URI;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Holds real responses to the OpenAPI document the gateway serves: status codes, content types, headers and bodies
 * (schemas, enums, nullability) of every recorded exchange ({@link ApiClient#recorded()}) must be what the
 * document says of that operation. Exchanges on paths or methods the document does not have (an unknown path, a
 * CORS preflight) are skipped: they answer problems the framework gives, not an operation's.
 */
public final class OpenApiContract {

    private static final Set<String> NOT_AN_OPERATION = Set.of("validation.response.path.missing",
            "validation.request.path.missing", "validation.response.operation.notAllowed",
            "validation.request.operation.notAllowed");

    private final OpenApiInteractionValidator validator;

    private OpenApiContract(OpenApiInteractionValidator validator) {
        this.validator = validator;
    }

    /** The document served by the gateway at {@code api}. */
    public static OpenApiContract served(URI api) {
        ApiClient.Response document = new ApiClient(api).get("/api/v1/openapi/roster-v1.yml");
        if (document.status() != 200) {
            throw new IllegalStateException("the gateway serves no OpenAPI document: " + document.status());
        }
        ApiClient.recorded();
        return new OpenApiContract(OpenApiInteractionValidator.createForInlineApiSpecification(document.body())
                .build());
    }

    private static final java.util.regex.Pattern PATTERN_MESSAGE = java.util.regex.Pattern.compile(
            "ECMA 262 regex \"(.*)\" does not match input string \"(.*)\"", java.util.regex.Pattern.DOTALL);

    /**
     * Whether a pattern message is the validator's own limit: its regular expressions have no Unicode mode, so a
     * pattern with a Unicode class ({@code \p{L}}, letters of any script, as JSON Schema's ECMA 262 with the
     * {@code u} flag and Java read it) matches nothing. Such a message is dropped when Java's regex finds the pattern
     * in the input; every other pattern message stands.
     */
    static boolean unicodeClassMatches(ValidationReport.Message message) {
        if (!message.getKey().endsWith(".schema.pattern")) {
            return false;
        }
        java.util.regex.Matcher m = PATTERN_MESSAGE.matcher(message.getMessage());
        return m.find() && m.group(1).contains("\\p{")
                && java.util.regex.Pattern.compile(m.group(1)).matcher(m.group(2)).find();
    }

    /** What is wrong with each exchange that the document does not describe, empty when all are right. */
    public List<String> violations(List<ApiClient.Exchange> exchanges) {
        List<String> violations = new ArrayList<>();
        for (ApiClient.Exchange exchange : exchanges) {
            SimpleResponse.Builder response = SimpleResponse.Builder.status(exchange.response().status());
            for (Map.Entry<String, List<String>> header : exchange.response().headers().entrySet()) {
                if (!header.getKey().startsWith(":")) {
                    response.withHeader(header.getKey(), header.getValue());
                }
            }
            String body = exchange.response().body();
            if (body != null && !body.isEmpty()) {
                response.withBody(body);
            }
            ValidationReport report = validator.validateResponse(exchange.path(),
                    Request.Method.valueOf(exchange.method()), response.build());
            for (ValidationReport.Message message : report.getMessages()) {
                if (message.getLevel() == ValidationReport.Level.ERROR
                        && !NOT_AN_OPERATION.contains(message.getKey()) && !unicodeClassMatches(message)) {
                    violations.add(exchange.method() + " " + exchange.path() + " " + exchange.response().status()
                            + ": " + message.getKey() + ": " + message.getMessage());
                }
            }
        }
        return violations;
    }
}
