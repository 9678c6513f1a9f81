package io.roster.testsupport;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** An app's {@code GET /prometheus} answer (Prometheus text format), read sample by sample. */
public final class PrometheusScrape {

    private static final Pattern LINE = Pattern.compile("^([a-zA-Z_:][a-zA-Z0-9_:]*)(\\{(.*)})? (\\S+)$");
    private static final Pattern LABEL = Pattern.compile("(\\w+)=\"((?:[^\"\\\\]|\\\\.)*)\"");

    private record Sample(String name, Map<String, String> labels, double value) {
    }

    private final List<Sample> samples = new ArrayList<>();

    public PrometheusScrape(String text) {
        for (String line : text.split("\n")) {
            Matcher m = LINE.matcher(line);
            if (!m.matches()) {
                continue;
            }
            Map<String, String> labels = new HashMap<>();
            if (m.group(3) != null) {
                Matcher l = LABEL.matcher(m.group(3));
                while (l.find()) {
                    labels.put(l.group(1), l.group(2));
                }
            }
            samples.add(new Sample(m.group(1), labels, Double.parseDouble(m.group(4))));
        }
    }

    /** Scrapes {@code GET /prometheus} of the app at {@code client}'s base. */
    public static PrometheusScrape of(ApiClient client) {
        ApiClient.Response response = client.get("/prometheus");
        if (response.status() != 200) {
            throw new AssertionError("GET /prometheus answered " + response.status() + ": " + response.body());
        }
        return new PrometheusScrape(response.body());
    }

    private List<Sample> matching(String name, Map<String, String> labels) {
        return samples.stream().filter(s -> s.name().equals(name)
                && s.labels().entrySet().containsAll(labels.entrySet())).toList();
    }

    /** The sum of the samples of {@code name} whose labels include {@code labels}. */
    public double sum(String name, Map<String, String> labels) {
        return matching(name, labels).stream().mapToDouble(Sample::value).sum();
    }

    /** How many samples of {@code name} have labels including {@code labels}. */
    public int count(String name, Map<String, String> labels) {
        return matching(name, labels).size();
    }

    /** Every metric name with a sample. */
    public Set<String> names() {
        Set<String> names = new HashSet<>();
        samples.forEach(s -> names.add(s.name()));
        return names;
    }
}
