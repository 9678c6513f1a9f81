package io.roster.gateway.problem;

import com.fasterxml.jackson.annotation.JsonInclude;
import io.micronaut.core.annotation.Nullable;
import io.micronaut.serde.annotation.Serdeable;
import io.swagger.v3.oas.annotations.media.Schema;
import java.util.List;

/**
 * An RFC 9457 problem detail, the body of every error response ({@code application/problem+json}).
 * {@code type} is stable per kind of problem; {@code errors} names each offending field and why.
 */
@Serdeable
@JsonInclude(JsonInclude.Include.NON_EMPTY)
public record Problem(String type, String title, int status, String detail,
                      @Nullable @Schema(description = "The fields at fault; absent when none is")
                      List<FieldError> errors) {

    public static final String MEDIA_TYPE = "application/problem+json";

    /** One field at fault: its name (JSON path or header or query parameter) and the reason. */
    @Serdeable
    public record FieldError(@Nullable String field, String reason) {
    }

    public static String type(String slug) {
        return "/problems/" + slug;
    }
}
