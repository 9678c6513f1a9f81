package io.roster.gateway.invite;

import io.roster.gateway.problem.ProblemException;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.UncheckedIOException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.apache.commons.csv.CSVFormat;
import org.apache.commons.csv.CSVParser;
import org.apache.commons.csv.CSVRecord;
import io.micronaut.http.exceptions.ContentLengthExceededException;
import org.apache.commons.io.input.BOMInputStream;

/**
 * Invite rows read from a CSV body as it streams in (RFC 4180, UTF-8 with or without a byte order mark, quoted fields,
 * a header row). Columns are found by name, ignoring case, spaces, '_' and '-': {@code email} (required),
 * {@code firstName}, {@code lastName}, or {@code name} split at its first space, {@code role}, {@code location},
 * {@code tags} (separated by ';', '|' or ','). Other columns are ignored. A body that is not CSV or not UTF-8 is
 * refused with the line where it broke.
 */
final class CsvInviteRows implements Iterator<InviteChunkSource.RowFields> {

    private static final Map<String, String> COLUMNS = Map.ofEntries(
            Map.entry("email", "email"), Map.entry("emailaddress", "email"), Map.entry("mail", "email"),
            Map.entry("firstname", "firstName"), Map.entry("givenname", "firstName"),
            Map.entry("lastname", "lastName"), Map.entry("surname", "lastName"), Map.entry("familyname", "lastName"),
            Map.entry("name", "name"), Map.entry("fullname", "name"),
            Map.entry("role", "role"), Map.entry("location", "location"), Map.entry("city", "location"),
            Map.entry("tags", "tags"), Map.entry("tag", "tags"));

    private final CSVParser parser;
    private final Iterator<CSVRecord> records;
    private final Map<String, Integer> index = new java.util.HashMap<>();

    CsvInviteRows(InputStream body) {
        try {
            InputStream withoutBom = BOMInputStream.builder().setInputStream(new Utf8Lines(body)).get();
            InputStreamReader reader = new InputStreamReader(withoutBom, StandardCharsets.UTF_8.newDecoder()
                    .onMalformedInput(CodingErrorAction.REPORT).onUnmappableCharacter(CodingErrorAction.REPORT));
            parser = CSVFormat.RFC4180.builder().setHeader().setSkipHeaderRecord(true).setIgnoreEmptyLines(true)
                    .setAllowMissingColumnNames(true).setIgnoreSurroundingSpaces(true).get().parse(reader);
        } catch (IOException | UncheckedIOException | IllegalArgumentException e) {
            throw tooLarge(e).or(() -> notUtf8(e)).orElseGet(() ->
                    ProblemException.invalid("body", "the header row could not be read as CSV: " + message(e)));
        }
        if (parser.getHeaderMap() == null || parser.getHeaderMap().isEmpty()) {
            throw ProblemException.invalid("body", "the CSV is empty: send a header row with an 'email' column, "
                    + "then a user per line");
        }
        for (Map.Entry<String, Integer> column : parser.getHeaderMap().entrySet()) {
            String name = column.getKey() == null ? "" : column.getKey().toLowerCase(Locale.ROOT).replaceAll("[\\s_-]", "");
            String field = COLUMNS.get(name);
            if (field != null) {
                index.putIfAbsent(field, column.getValue());
            }
        }
        if (!index.containsKey("email")) {
            throw ProblemException.invalid("header", "the header row needs an 'email' column (found "
                    + parser.getHeaderNames() + ")");
        }
        records = parser.iterator();
    }

    @Override
    public boolean hasNext() {
        try {
            return records.hasNext();
        } catch (UncheckedIOException | IllegalStateException e) {
            throw broken(e);
        }
    }

    @Override
    public InviteChunkSource.RowFields next() {
        CSVRecord record;
        try {
            record = records.next();
        } catch (UncheckedIOException | IllegalStateException e) {
            throw broken(e);
        }
        String first = get(record, "firstName");
        String last = get(record, "lastName");
        String name = get(record, "name");
        if (first == null && last == null && name != null) {
            String[] parts = name.strip().split("\\s+", 2);
            first = parts[0];
            last = parts.length > 1 ? parts[1] : null;
        }
        List<String> tags = new ArrayList<>();
        String tagCell = get(record, "tags");
        if (tagCell != null) {
            for (String tag : tagCell.split("[;|,]")) {
                if (!tag.isBlank()) {
                    tags.add(tag.strip());
                }
            }
        }
        return new InviteChunkSource.RowFields(get(record, "email"), first, last, get(record, "role"),
                get(record, "location"), tags);
    }

    private String get(CSVRecord record, String field) {
        Integer column = index.get(field);
        if (column == null || column >= record.size()) {
            return null;
        }
        String value = record.get(column);
        return value == null || value.isBlank() ? null : value;
    }

    private ProblemException broken(RuntimeException e) {
        return tooLarge(e).or(() -> notUtf8(e)).orElseGet(() -> ProblemException.invalid("body", "the CSV is malformed near line "
                + parser.getCurrentLineNumber() + ": " + message(e) + "; nothing was imported"));
    }

    /** A byte that is not UTF-8, with its line. */
    private static java.util.Optional<ProblemException> notUtf8(Throwable e) {
        for (Throwable t = e; t != null; t = t.getCause()) {
            if (t instanceof Utf8Lines.NotUtf8Exception bad) {
                return java.util.Optional.of(ProblemException.invalid("body", "the body is not valid UTF-8 on line "
                        + bad.line() + "; save the file as UTF-8, nothing was imported"));
            }
        }
        return java.util.Optional.empty();
    }

    /** The body was larger than ROSTER_MAX_REQUEST_MB: 413, not a CSV problem. */
    private static java.util.Optional<ProblemException> tooLarge(Throwable e) {
        for (Throwable t = e; t != null; t = t.getCause()) {
            if (t instanceof ContentLengthExceededException) {
                return java.util.Optional.of(ProblemException.tooLarge("body", "the body is larger than this server "
                        + "accepts (ROSTER_MAX_REQUEST_MB); split the import, nothing was imported"));
            }
        }
        return java.util.Optional.empty();
    }

    private static String message(Throwable e) {
        Throwable cause = e.getCause() != null ? e.getCause() : e;
        return cause.getMessage() == null ? cause.getClass().getSimpleName() : cause.getMessage();
    }
}
