package io.roster.operations;

/**
 * An operation refused by a rule, before it changed anything: which kind of refusal (the gateway answers each with
 * its status), a stable code, the field it is about (or null) and the reason in the words the caller sees.
 */
public final class Refusal extends RuntimeException {

    /** What kind of refusal: the caller may not ask this, or the state of things does not allow it now. */
    public enum Kind { FORBIDDEN, UNPROCESSABLE, NOT_FOUND }

    private final Kind kind;
    private final String code;
    private final String field;

    public Refusal(Kind kind, String code, String field, String reason) {
        super(reason, null, false, false);
        this.kind = kind;
        this.code = code;
        this.field = field;
    }

    public Kind kind() {
        return kind;
    }

    /** A stable code, such as {@code last-admin}. */
    public String code() {
        return code;
    }

    /** The field the refusal is about, or null. */
    public String field() {
        return field;
    }
}
