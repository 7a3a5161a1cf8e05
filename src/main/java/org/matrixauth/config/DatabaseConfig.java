package org.matrixauth.config;

import com.fasterxml.jackson.databind.JsonNode;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;
import java.util.regex.Pattern;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.matrixauth.api.PublicApi;

/**
 * Where Synapse's tables live, from the {@code database} key in any of its forms:
 * <ul>
 *   <li>Synapse's own: {@code {name: psycopg2, args: {user, password, database (or dbname), host,
 *       port, cp_min, cp_max, sslmode, ...}}}, mapped onto a PostgreSQL JDBC URL and HikariCP;</li>
 *   <li>a JDBC URL string ({@code jdbc:h2:...}, {@code jdbc:postgresql:...});</li>
 *   <li>a JNDI DataSource name string ({@code java:comp/env/jdbc/synapse}), the container's pool.</li>
 * </ul>
 * Without the key: an embedded H2 file database under {@code ./data}.
 *
 * @param jdbcUrl null when {@code jndiName} is set
 * @param jndiName null unless the container provides the DataSource
 */
@PublicApi
public record DatabaseConfig(String jdbcUrl, String user, String password, String jndiName, int minIdle, int maxPoolSize) {
    public static final String DEFAULT_URL = "jdbc:h2:file:./data/homeserver";
    /** Synapse's own defaults for {@code cp_min} and {@code cp_max}. */
    static final int DEFAULT_CP_MIN = 5;
    static final int DEFAULT_CP_MAX = 10;
    /** libpq options with a PostgreSQL JDBC equivalent of the same meaning. */
    private static final Map<String, String> LIBPQ_TO_JDBC = Map.of(
            "sslmode", "sslmode",
            "sslrootcert", "sslrootcert",
            "sslcert", "sslcert",
            "sslkey", "sslkey",
            "application_name", "ApplicationName",
            "connect_timeout", "connectTimeout",
            "options", "options");
    private static final Set<String> MAPPED = Set.of("user", "password", "database", "dbname", "host", "port", "cp_min", "cp_max");
    /** A host name, IPv4 or IPv6 address (with a zone), as pgjdbc reads it from a URL undecoded. */
    private static final Pattern HOST = Pattern.compile("[A-Za-z0-9._:%-]+");
    private static final Logger LOG = LoggerFactory.getLogger(DatabaseConfig.class);

    static DatabaseConfig read(Settings reader) {
        JsonNode node = reader.node("database");
        if (node == null) {
            return jdbc(DEFAULT_URL, null, null);
        }
        if (node.isTextual()) {
            String value = node.asText().trim();
            if (value.startsWith("jdbc:")) {
                return jdbc(value, null, null);
            }
            if (value.startsWith("java:")) {
                return new DatabaseConfig(null, null, null, value, 0, 0);
            }
            throw Settings.bad("database", "must be Synapse's {name: psycopg2, args: {...}}, a JDBC URL (jdbc:...)"
                    + " or a JNDI name (java:...), not '" + value + "'");
        }
        if (!node.isObject()) {
            throw Settings.bad("database", "must be a mapping, a JDBC URL or a JNDI name");
        }
        String name = reader.requiredString("database.name");
        return switch (name) {
            case "psycopg2" -> psycopg2(reader);
            case "sqlite3" -> throw Settings.bad("database.name", "'sqlite3' cannot be shared with Synapse from Java:"
                    + " use psycopg2 (PostgreSQL), or leave 'database' out for the embedded H2 database");
            default -> throw Settings.bad("database.name", "must be psycopg2, not '" + name + "'");
        };
    }

    private static DatabaseConfig psycopg2(Settings reader) {
        JsonNode args = reader.mapping("database.args", "must be a mapping");
        String host = reader.string("database.args.host", "localhost");
        if (!HOST.matcher(host).matches()) {
            // pgjdbc takes the host as it is written: '/', '?' or ',' would change what the URL says.
            throw Settings.bad("database.args.host", "must be a host name or IP address (a Unix socket"
                    + " directory cannot be used from Java), not '" + host + "'");
        }
        int port = reader.integer("database.args.port", 5432, 1, 65535);
        String user = reader.string("database.args.user", null);
        String database = reader.string("database.args.database", reader.string("database.args.dbname", user));
        if (database == null) {
            throw Settings.bad("database.args.database", "is required (or database.args.user, whose name libpq takes)");
        }
        int cpMin = reader.integer("database.args.cp_min", DEFAULT_CP_MIN, 0, 1000);
        int cpMax = reader.integer("database.args.cp_max", DEFAULT_CP_MAX, 1, 1000);
        if (cpMin > cpMax) {
            throw Settings.bad("database.args.cp_min", "must not exceed database.args.cp_max (" + cpMax + ")");
        }
        Map<String, String> options = new LinkedHashMap<>();
        if (args != null) {
            args.fieldNames().forEachRemaining(key -> {
                if (LIBPQ_TO_JDBC.containsKey(key)) {
                    options.put(LIBPQ_TO_JDBC.get(key), reader.string("database.args." + key, ""));
                } else if (!MAPPED.contains(key)) {
                    LOG.warn("database.args.{} has no JDBC equivalent here and is ignored", key);
                }
            });
        }
        StringBuilder url = new StringBuilder("jdbc:postgresql://")
                .append(host.contains(":") ? "[" + host + "]" : host).append(':').append(port).append('/')
                .append(urlEncoded(database));
        String separator = "?";
        for (Map.Entry<String, String> option : options.entrySet()) {
            url.append(separator).append(option.getKey()).append('=').append(urlEncoded(option.getValue()));
            separator = "&";
        }
        return new DatabaseConfig(url.toString(), user, reader.string("database.args.password", null), null, cpMin, cpMax);
    }

    /**
     * pgjdbc URL-decodes the database name and each parameter's value (UTF-8), so encoded, a value
     * holding '&amp;', '=', '?' or '%' is read back as itself instead of ending early and adding options.
     */
    private static String urlEncoded(String value) {
        return URLEncoder.encode(value, StandardCharsets.UTF_8);
    }

    private static DatabaseConfig jdbc(String url, String user, String password) {
        return new DatabaseConfig(url, user, password, null, DEFAULT_CP_MIN, DEFAULT_CP_MAX);
    }

    /** What to call the database in messages: never with its password. */
    @Override
    public String toString() {
        return jndiName != null ? jndiName : withoutPassword(jdbcUrl);
    }

    /** A JDBC URL fit for a message: a password parameter masked. */
    static String withoutPassword(String jdbcUrl) {
        return jdbcUrl.replaceAll("password=[^&;]*", "password=***");
    }
}
