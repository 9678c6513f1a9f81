package io.roster.operations;

/** What a tag's name may be, wherever one is given (an organization's tags, an invite row, a bulk tag). */
public final class TagName {

    /** Letters, digits, space, {@code _ : . -}; 1 to 50 characters. */
    public static final String PATTERN = "[\\p{L}\\p{N} _:.-]{1,50}";

    private TagName() {
    }
}
