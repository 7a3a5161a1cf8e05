package org.matrixauth.config;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.OptionalLong;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.matrixauth.account.Threepid;
import org.matrixauth.api.PublicApi;

/**
 * Typed access to a homeserver.yaml-style tree by dotted key ({@code experimental_features.x}).
 * Values may be YAML scalars or, when they come from web.xml init-params, strings; every bad
 * value is refused with a message that names its key. Public so that a homeserver reads its own
 * keys from the same configuration ({@link AuthConfig#settings()}). Every key asked for is
 * recorded, so that keys the filter does not know can be told apart ({@link UnknownKeys}).
 */
@PublicApi
public final class Settings {
    private static final Pattern DURATION = Pattern.compile("(\\d+)\\s*(s|m|h|d|w|y)?");

    private final JsonNode root;
    private final KeysRead keysRead = new KeysRead();

    Settings(JsonNode root) {
        this.root = root;
    }

    /**
     * @return the node at the dotted key, or null when it (or a parent) is absent or null; the key
     *     (not those below it) counts as read
     */
    JsonNode node(String key) {
        keysRead.read(key);
        return at(root, key);
    }

    /** The node at a dotted key of a tree, without counting it as read. */
    static JsonNode at(JsonNode root, String key) {
        JsonNode node = root;
        for (String part : key.split("\\.")) {
            if (node == null || !node.isObject()) {
                return null;
            }
            node = node.get(part);
        }
        return node == null || node.isNull() ? null : node;
    }

    /**
     * A mapping read as a whole, whose keys are names the operator chooses or passes on
     * (appservice ids, libpq options) rather than the filter's: every key below it counts as read.
     *
     * @return null when absent
     */
    JsonNode mapping(String key, String problemIfNot) {
        keysRead.readWhole(key);
        JsonNode node = node(key);
        if (node != null && !node.isObject()) {
            throw bad(key, problemIfNot);
        }
        return node;
    }

    /**
     * Declares a mapping the filter's own rather than Synapse's, such as {@code auth_cache}: a key
     * in it that the filter does not read is refused (once all are read) rather than ignored.
     */
    void ownSection(String key) {
        JsonNode section = at(root, key);
        if (section != null && !section.isObject()) {
            throw bad(key, "must be a mapping");
        }
        keysRead.ownSection(key);
    }

    /** The keys read so far. */
    KeysRead keysRead() {
        return keysRead;
    }

    public String string(String key, String fallback) {
        JsonNode node = node(key);
        if (node == null) {
            return fallback;
        }
        if (!node.isValueNode()) {
            throw bad(key, "must be a string");
        }
        return node.asText();
    }

    public String requiredString(String key) {
        String value = string(key, null);
        if (value == null || value.isBlank()) {
            throw bad(key, "is required");
        }
        return value;
    }

    public boolean bool(String key, boolean fallback) {
        JsonNode node = node(key);
        if (node == null) {
            return fallback;
        }
        if (node.isBoolean()) {
            return node.asBoolean();
        }
        String text = node.isTextual() ? node.asText().trim().toLowerCase(Locale.ROOT) : "";
        return switch (text) {
            case "true", "yes", "on" -> true;
            case "false", "no", "off" -> false;
            default -> throw bad(key, "must be true or false, not '" + node.asText() + "'");
        };
    }

    public int integer(String key, int fallback, int min, int max) {
        JsonNode node = node(key);
        return node == null ? fallback : bounded(key, node, min, max);
    }

    private static int bounded(String key, JsonNode node, int min, int max) {
        OptionalLong value = wholeNumber(node);
        if (value.isEmpty() || value.getAsLong() < min || value.getAsLong() > max) {
            throw bad(key, "must be a whole number between " + min + " and " + max + ", not '" + node.asText() + "'");
        }
        return (int) value.getAsLong();
    }

    /** A number above zero, such as Synapse's rate limits' {@code per_second}; text from an init-param too. */
    public double positiveNumber(String key, double fallback) {
        JsonNode node = node(key);
        if (node == null) {
            return fallback;
        }
        double value;
        try {
            value = node.isNumber() ? node.asDouble() : node.isTextual() ? Double.parseDouble(node.asText().trim()) : Double.NaN;
        } catch (NumberFormatException e) {
            value = Double.NaN;
        }
        if (!(value > 0) || Double.isInfinite(value)) {
            throw bad(key, "must be a number above 0, not '" + node.asText() + "'");
        }
        return value;
    }

    /**
     * A YAML whole number, or (from an init-param) one written as text; empty for anything else,
     * including numbers too large for a long, which would otherwise wrap into another value.
     */
    private static OptionalLong wholeNumber(JsonNode node) {
        if (node.isIntegralNumber()) {
            return node.canConvertToLong() ? OptionalLong.of(node.asLong()) : OptionalLong.empty();
        }
        if (!node.isTextual()) {
            return OptionalLong.empty();
        }
        try {
            return OptionalLong.of(Long.parseLong(node.asText().trim()));
        } catch (NumberFormatException e) {
            return OptionalLong.empty();
        }
    }

    /** A YAML list of strings, or (from an init-param) one comma-separated string. */
    public List<String> stringList(String key) {
        JsonNode node = node(key);
        List<String> result = new ArrayList<>();
        if (node == null) {
            return result;
        }
        if (node.isTextual()) {
            for (String item : node.asText().split(",")) {
                if (!item.isBlank()) {
                    result.add(item.trim());
                }
            }
            return result;
        }
        if (!node.isArray()) {
            throw bad(key, "must be a list of strings");
        }
        for (JsonNode item : node) {
            if (!item.isTextual()) {
                throw bad(key, "must be a list of strings");
            }
            result.add(item.asText());
        }
        return result;
    }

    /**
     * Synapse's durations: a number of milliseconds, or a number with a unit
     * (one of {@code s m h d w y}), as in {@code user_ips_max_age: 28d}.
     */
    public long durationMs(String key, long fallback) {
        JsonNode node = node(key);
        if (node == null) {
            return fallback;
        }
        Matcher duration = DURATION.matcher(node.asText().trim());
        String problem = "must be a duration such as 30s, 5m, 1h, 28d, 1w, 1y or milliseconds, not '" + node.asText() + "'";
        if (!node.isValueNode() || !duration.matches()) {
            throw bad(key, problem);
        }
        String unit = duration.group(2) == null ? "" : duration.group(2); // no unit: milliseconds
        long unitMs = switch (unit) {
            case "s" -> 1_000L;
            case "m" -> 60_000L;
            case "h" -> 3_600_000L;
            case "d" -> 86_400_000L;
            case "w" -> 7 * 86_400_000L;
            case "y" -> 365 * 86_400_000L;
            default -> 1L;
        };
        try {
            return Math.multiplyExact(Long.parseLong(duration.group(1)), unitMs);
        } catch (ArithmeticException | NumberFormatException tooLong) {
            throw bad(key, problem + " (longer than any duration can be)");
        }
    }

    /**
     * A duration that Synapse lets an operator switch off with an explicit {@code null}, such as
     * {@code refreshable_access_token_lifetime}: absent gives {@code whenAbsent}, null gives null.
     */
    public Long nullableDurationMs(String key, Long whenAbsent) {
        JsonNode parent = root;
        String[] parts = key.split("\\.");
        for (int i = 0; i < parts.length - 1 && parent != null; i++) {
            parent = parent.get(parts[i]);
        }
        String last = parts[parts.length - 1];
        if (parent != null && parent.isObject() && parent.has(last) && parent.get(last).isNull()) {
            keysRead.read(key);
            return null;
        }
        return node(key) == null ? whenAbsent : Long.valueOf(durationMs(key, 0));
    }

    /**
     * A mapping of strings to whole numbers, such as {@code mau_appservice_trial_days}; a number
     * may be text, as one from a dotted init-param ({@code mau_appservice_trial_days.irc=7}) is.
     */
    public Map<String, Integer> integerMap(String key) {
        JsonNode node = mapping(key, "must be a mapping of names to whole numbers");
        Map<String, Integer> result = new LinkedHashMap<>();
        if (node != null) {
            for (Map.Entry<String, JsonNode> entry : node.properties()) {
                result.put(entry.getKey(), bounded(key + "." + entry.getKey(), entry.getValue(), 0, Integer.MAX_VALUE));
            }
        }
        return result;
    }

    /** A list of {@code {medium, address}} mappings, such as {@code mau_limit_reserved_threepids}. */
    public List<Threepid> threepids(String key) {
        JsonNode node = node(key);
        List<Threepid> result = new ArrayList<>();
        if (node == null) {
            return result;
        }
        if (!node.isArray()) {
            throw bad(key, "must be a list of {medium, address} mappings");
        }
        for (int i = 0; i < node.size(); i++) {
            JsonNode item = node.get(i);
            if (!item.path("medium").isTextual() || !item.path("address").isTextual()) {
                throw bad(key + "[" + i + "]", "must have string fields 'medium' and 'address'");
            }
            result.add(new Threepid(item.get("medium").asText(), item.get("address").asText()));
        }
        return result;
    }

    static ConfigException bad(String key, String problem) {
        return new ConfigException(message(key, problem));
    }

    static String message(String key, String problem) {
        return "configuration key '" + key + "' " + problem;
    }
}
