package org.matrixauth.testing;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A scrape in Prometheus' text format, read back into its metric families: each family's type,
 * help and samples (a sample's name with its labels, sorted, as the key), as the lines under its
 * {@code # TYPE} line give them. For comparing two exporters' output, not a general parser.
 */
public final class PrometheusText {
    private static final Pattern SAMPLE = Pattern.compile("([a-zA-Z_:][a-zA-Z0-9_:]*)(?:\\{(.*)})? (\\S+)");
    private static final Pattern LABEL = Pattern.compile("([a-zA-Z_][a-zA-Z0-9_]*)=\"((?:[^\"\\\\]|\\\\.)*)\"");
    /** Labels the format itself adds to a histogram's or summary's samples. */
    private static final Set<String> STRUCTURAL_LABELS = Set.of("le", "quantile");

    /** One family: its type line's type, its help, the names of its labels, its samples. */
    public record Family(String type, String help, Set<String> labelNames, Map<String, Double> samples) {}

    private PrometheusText() {}

    /** The families by name, in the order the scrape lists them. */
    public static Map<String, Family> parse(String scrape) {
        Map<String, String> help = new TreeMap<>();
        Map<String, Family> families = new LinkedHashMap<>();
        Family current = null;
        for (String line : scrape.split("\n")) {
            if (line.startsWith("# HELP ")) {
                String[] parts = line.substring("# HELP ".length()).split(" ", 2);
                help.put(parts[0], parts.length > 1 ? parts[1] : "");
            } else if (line.startsWith("# TYPE ")) {
                String[] parts = line.substring("# TYPE ".length()).split(" ", 2);
                current = new Family(parts[1], help.get(parts[0]), new TreeSet<>(), new TreeMap<>());
                families.put(parts[0], current);
            } else if (!line.isBlank() && !line.startsWith("#")) {
                addSample(current, line);
            }
        }
        return families;
    }

    private static void addSample(Family family, String line) {
        Matcher sample = SAMPLE.matcher(line);
        if (family == null || !sample.matches()) {
            throw new IllegalArgumentException("not a sample of a typed family: " + line);
        }
        Map<String, String> labels = new TreeMap<>();
        if (sample.group(2) != null) {
            Matcher label = LABEL.matcher(sample.group(2));
            while (label.find()) {
                labels.put(label.group(1), label.group(2));
            }
        }
        labels.keySet().stream().filter(name -> !STRUCTURAL_LABELS.contains(name)).forEach(family.labelNames()::add);
        family.samples().put(sample.group(1) + labels, Double.parseDouble(sample.group(3)));
    }
}
