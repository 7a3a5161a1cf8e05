package org.matrixauth.servlet;

import java.util.ArrayList;
import java.util.List;

/**
 * One route's path pattern (REQ-2), matched against every request's path: {@code *} is any text
 * within one segment (no {@code /}), {@code **} any text at all, {@code {a,b}} one of the texts
 * listed, everything else literal. Matching walks the pattern's parts over the path by index, so
 * a request allocates nothing here (a regular expression's matcher did, on every request).
 */
final class PathGlob {
    private sealed interface Part permits Literal, OneSegment, AnyDepth, OneOf {}

    private record Literal(String text) implements Part {}

    private record OneSegment() implements Part {}

    private record AnyDepth() implements Part {}

    private record OneOf(List<String> texts) implements Part {}

    private final Part[] parts;

    private PathGlob(List<Part> parts) {
        this.parts = parts.toArray(Part[]::new);
    }

    /** @throws IllegalArgumentException when a {@code {} is not closed */
    static PathGlob compile(String glob) {
        List<Part> parts = new ArrayList<>();
        int literalStart = 0;
        for (int i = 0; i < glob.length(); i++) {
            char c = glob.charAt(i);
            if (c != '*' && c != '{') {
                continue;
            }
            if (i > literalStart) {
                parts.add(new Literal(glob.substring(literalStart, i)));
            }
            if (c == '{') {
                int end = glob.indexOf('}', i);
                if (end < 0) {
                    throw new IllegalArgumentException("opens '{' without closing it");
                }
                parts.add(new OneOf(List.of(glob.substring(i + 1, end).split(",", -1))));
                i = end;
            } else if (glob.startsWith("**", i)) {
                parts.add(new AnyDepth());
                i++;
            } else {
                parts.add(new OneSegment());
            }
            literalStart = i + 1;
        }
        if (literalStart < glob.length()) {
            parts.add(new Literal(glob.substring(literalStart)));
        }
        return new PathGlob(parts);
    }

    /** Whether the whole path matches. */
    boolean matches(String path) {
        // Most rules are rejected here: a pattern's literal end is checked before any wildcard is tried.
        if (parts.length > 0 && parts[parts.length - 1] instanceof Literal last && !path.endsWith(last.text())) {
            return false;
        }
        return matches(0, path, 0);
    }

    /**
     * Whether the parts from {@code part} on match the path from {@code at} to its end. A wildcard
     * tries the lengths it may take, only those after which the next literal text starts.
     */
    private boolean matches(int part, String path, int at) {
        if (part == parts.length) {
            return at == path.length();
        }
        Part current = parts[part];
        if (current instanceof Literal literal) {
            return path.startsWith(literal.text(), at) && matches(part + 1, path, at + literal.text().length());
        }
        if (current instanceof OneOf oneOf) {
            for (String text : oneOf.texts()) {
                if (path.startsWith(text, at) && matches(part + 1, path, at + text.length())) {
                    return true;
                }
            }
            return false;
        }
        int segmentEnd = path.indexOf('/', at);
        int last = current instanceof AnyDepth || segmentEnd < 0 ? path.length() : segmentEnd;
        String next = part + 1 < parts.length && parts[part + 1] instanceof Literal literal ? literal.text() : null;
        int end = next == null ? at : path.indexOf(next, at);
        while (end >= 0 && end <= last) {
            if (matches(part + 1, path, end)) {
                return true;
            }
            end = next == null ? end + 1 : path.indexOf(next, end + 1);
        }
        return false;
    }
}
