package org.matrixauth.config;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.ArrayList;
import java.util.List;

/**
 * Typed access to a homeserver.yaml-style tree by dotted key ({@code experimental_features.x}).
 * Values may be YAML scalars or, when they come from web.xml init-params, strings; every bad
 * value is refused with a message that names its key.
 */
final class ConfigReader {
    private final JsonNode root;

    ConfigReader(JsonNode root) {
        this.root = root;
    }

    /** @return the node at the dotted key, or null when it (or a parent) is absent or null */
    JsonNode node(String key) {
        JsonNode node = root;
        for (String part : key.split("\\.")) {
            if (node == null || !node.isObject()) {
                return null;
            }
            node = node.get(part);
        }
        return node == null || node.isNull() ? null : node;
    }

    String string(String key, String fallback) {
        JsonNode node = node(key);
        if (node == null) {
            return fallback;
        }
        if (!node.isValueNode()) {
            throw bad(key, "must be a string");
        }
        return node.asText();
    }

    String requiredString(String key) {
        String value = string(key, null);
        if (value == null || value.isBlank()) {
            throw bad(key, "is required");
        }
        return value;
    }

    boolean bool(String key, boolean fallback) {
        JsonNode node = node(key);
        if (node == null) {
            return fallback;
        }
        if (node.isBoolean()) {
            return node.asBoolean();
        }
        String text = node.isTextual() ? node.asText().trim().toLowerCase(java.util.Locale.ROOT) : "";
        return switch (text) {
            case "true", "yes", "on" -> true;
            case "false", "no", "off" -> false;
            default -> throw bad(key, "must be true or false, not '" + node.asText() + "'");
        };
    }

    int integer(String key, int fallback, int min, int max) {
        JsonNode node = node(key);
        if (node == null) {
            return fallback;
        }
        long value;
        if (node.isIntegralNumber()) {
            value = node.asLong();
        } else {
            try {
                value = Long.parseLong(node.isTextual() ? node.asText().trim() : "?");
            } catch (NumberFormatException e) {
                throw bad(key, "must be a whole number, not '" + node.asText() + "'");
            }
        }
        if (value < min || value > max) {
            throw bad(key, "must be between " + min + " and " + max + ", not " + value);
        }
        return (int) value;
    }

    /** A YAML list of strings, or (from an init-param) one comma-separated string. */
    List<String> stringList(String key) {
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

    static ConfigException bad(String key, String problem) {
        return new ConfigException("configuration key '" + key + "' " + problem);
    }
}
