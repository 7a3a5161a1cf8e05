package org.matrixauth.example;

import java.util.ArrayList;
import java.util.List;
import java.util.regex.Pattern;
import java.util.stream.Collectors;

/**
 * An endpoint's path, written as the filter's route rules write paths so that the same text is
 * the rule's pattern: {@code /_matrix/client/{r0,v3}/account/whoami},
 * {@code /_synapse/admin/v2/users/*}. {@code {a,b}} is one of the texts listed, {@code *} one path
 * segment and the path's parameter; {@code **} is left out, no endpoint serves a subtree.
 *
 * <p>The library matches rule patterns but hands out no matcher that captures parameters, so the
 * example reads this subset itself, for two uses: the regular expression its servlet dispatches
 * on, and concrete paths at which {@link RouteCheck} asks the filter's rules what they give.
 */
final class PathTemplate {
    /** What a {@code *} stands for in {@link #examples()}: any one segment is the same to a rule. */
    static final String EXAMPLE_SEGMENT = "@someone:example.org";

    private final String text;
    private final Pattern regex;
    private final List<String> examples;

    private PathTemplate(String text) {
        if (!text.startsWith("/") || text.contains("**")) {
            throw new IllegalArgumentException("not an endpoint path: " + text);
        }
        this.text = text;
        StringBuilder regex = new StringBuilder();
        List<String> examples = List.of("");
        for (String part : text.split("(?=[{*])|(?<=[}*])")) {
            List<String> texts;
            if (part.equals("*")) {
                regex.append("([^/]+)");
                texts = List.of(EXAMPLE_SEGMENT);
            } else if (part.startsWith("{")) {
                texts = List.of(part.substring(1, part.length() - 1).split(","));
                regex.append(texts.stream().map(Pattern::quote).collect(Collectors.joining("|", "(?:", ")")));
            } else {
                regex.append(Pattern.quote(part));
                texts = List.of(part);
            }
            examples = append(examples, texts);
        }
        this.regex = Pattern.compile(regex.toString());
        this.examples = examples;
    }

    static PathTemplate of(String text) {
        return new PathTemplate(text);
    }

    /** Matches the paths the template stands for; its groups are the {@code *} segments, in order. */
    Pattern regex() {
        return regex;
    }

    /** One path for each combination of the listed texts, each {@code *} as {@link #EXAMPLE_SEGMENT}. */
    List<String> examples() {
        return examples;
    }

    private static List<String> append(List<String> prefixes, List<String> texts) {
        List<String> paths = new ArrayList<>();
        for (String prefix : prefixes) {
            for (String part : texts) {
                paths.add(prefix + part);
            }
        }
        return paths;
    }

    @Override
    public String toString() {
        return text;
    }
}
