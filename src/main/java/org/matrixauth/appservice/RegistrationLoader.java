package org.matrixauth.appservice;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.regex.Pattern;
import java.util.regex.PatternSyntaxException;
import org.matrixauth.config.ConfigException;
import org.matrixauth.json.Mappers;
import org.matrixauth.net.IpRanges;

/**
 * Reads application service registration files (the YAML files Synapse's
 * {@code app_service_config_files} names) and validates them as Synapse does (SPEC AS-8).
 * Every failure names the file and the field.
 */
public final class RegistrationLoader {
    private static final ObjectMapper YAML = Mappers.yaml();

    private final String serverName;

    public RegistrationLoader(String serverName) {
        this.serverName = serverName;
    }

    /** Loads every file; duplicate ids or tokens across files fail too (AS-8). */
    public AppServiceRegistry loadAll(List<Path> files) {
        List<ApplicationService> services = new ArrayList<>();
        for (Path file : files) {
            services.add(load(file));
        }
        try {
            return new AppServiceRegistry(services);
        } catch (IllegalArgumentException e) {
            throw new ConfigException("app_service_config_files: " + e.getMessage());
        }
    }

    public ApplicationService load(Path file) {
        JsonNode root;
        try {
            root = YAML.readTree(file.toFile());
        } catch (IOException e) {
            throw new ConfigException("app_service_config_files: cannot read " + file + ": " + e.getMessage(), e);
        }
        return parse(root, file.toString());
    }

    /** @param source names the registration in error messages (usually its file name) */
    public ApplicationService parse(JsonNode root, String source) {
        Fields fields = new Fields(root, source);
        String id = fields.requiredString("id");
        if (id.contains("|")) {
            throw fields.bad("id", "must not contain '|'");
        }
        String asToken = fields.requiredString("as_token");
        String hsToken = fields.requiredString("hs_token");
        String senderLocalpart = fields.requiredString("sender_localpart");
        String url = fields.nullableString("url");
        JsonNode namespaces = fields.optionalObject("namespaces");
        return new ApplicationService(
                id,
                asToken,
                hsToken,
                url,
                "@" + senderLocalpart + ":" + serverName,
                namespaces(fields, namespaces, "users"),
                namespaces(fields, namespaces, "aliases"),
                namespaces(fields, namespaces, "rooms"),
                fields.booleanOr("rate_limited", true),
                fields.optionalStringList("protocols"),
                ipRangeWhitelist(fields));
    }

    private static List<Namespace> namespaces(Fields fields, JsonNode namespaces, String kind) {
        String key = "namespaces." + kind;
        JsonNode list = namespaces == null ? null : namespaces.get(kind);
        if (list == null || list.isNull()) {
            return List.of();
        }
        if (!list.isArray()) {
            throw fields.bad(key, "must be a list");
        }
        List<Namespace> result = new ArrayList<>();
        for (int i = 0; i < list.size(); i++) {
            JsonNode entry = list.get(i);
            String entryKey = key + "[" + i + "]";
            if (!entry.isObject() || !entry.path("regex").isTextual()) {
                throw fields.bad(entryKey + ".regex", "must be a string");
            }
            if (!entry.path("exclusive").isBoolean()) {
                throw fields.bad(entryKey + ".exclusive", "must be true or false");
            }
            result.add(new Namespace(compile(fields, entryKey + ".regex", entry.get("regex").asText()),
                    entry.get("exclusive").asBoolean()));
        }
        return result;
    }

    /** Python's named groups {@code (?P<name>…)} and {@code (?P=name)} are Java's {@code (?<name>…)} and {@code \k<name>}. */
    private static Pattern compile(Fields fields, String key, String pythonRegex) {
        String javaRegex = pythonRegex.replace("(?P<", "(?<").replaceAll("\\(\\?P=(\\w+)\\)", "\\\\k<$1>");
        try {
            return Pattern.compile(javaRegex);
        } catch (PatternSyntaxException e) {
            throw fields.bad(key, "is not a valid regular expression: " + e.getDescription());
        }
    }

    private static Optional<IpRanges> ipRangeWhitelist(Fields fields) {
        List<String> ranges = fields.optionalStringList("ip_range_whitelist");
        if (ranges.isEmpty()) {
            return Optional.empty();
        }
        try {
            return Optional.of(IpRanges.parse(ranges));
        } catch (IllegalArgumentException e) {
            throw fields.bad("ip_range_whitelist", e.getMessage());
        }
    }

    /** Typed access to a registration's top-level fields, with errors naming source and field. */
    private record Fields(JsonNode root, String source) {
        Fields {
            if (root == null || !root.isObject()) {
                throw new ConfigException("application service registration " + source + ": not a YAML mapping");
            }
        }

        ConfigException bad(String field, String problem) {
            return new ConfigException("application service registration " + source + ": '" + field + "' " + problem);
        }

        String requiredString(String field) {
            JsonNode value = root.get(field);
            if (value == null || !value.isTextual()) {
                throw bad(field, "is required and must be a string");
            }
            return value.asText();
        }

        /** {@code url} must be present, as a string or an explicit null, so push is never turned off by accident. */
        String nullableString(String field) {
            JsonNode value = root.get(field);
            if (value == null || !(value.isTextual() || value.isNull())) {
                throw bad(field, "is required and must be a string or null");
            }
            return value.isNull() ? null : value.asText();
        }

        JsonNode optionalObject(String field) {
            JsonNode value = root.get(field);
            if (value == null || value.isNull()) {
                return null;
            }
            if (!value.isObject()) {
                throw bad(field, "must be a mapping");
            }
            return value;
        }

        /** Synapse treats any non-boolean {@code rate_limited} as the default. */
        boolean booleanOr(String field, boolean fallback) {
            JsonNode value = root.get(field);
            return value != null && value.isBoolean() ? value.asBoolean() : fallback;
        }

        List<String> optionalStringList(String field) {
            JsonNode value = root.get(field);
            if (value == null || value.isNull()) {
                return List.of();
            }
            if (!value.isArray()) {
                throw bad(field, "must be a list of strings");
            }
            List<String> result = new ArrayList<>();
            for (JsonNode item : value) {
                if (!item.isTextual()) {
                    throw bad(field, "must be a list of strings");
                }
                result.add(item.asText());
            }
            return result;
        }
    }
}
