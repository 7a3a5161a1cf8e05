package org.matrixauth.config;

/**
 * Where Synapse's tables live: {@code database} as a JDBC URL (user and password may ride in
 * it); without it, an embedded H2 file database under {@code ./data}.
 */
public record DatabaseConfig(String jdbcUrl, int maxPoolSize) {
    public static final String DEFAULT_URL = "jdbc:h2:file:./data/homeserver";
    /** Synapse's own default {@code cp_max}. */
    public static final int DEFAULT_POOL_SIZE = 10;

    static DatabaseConfig read(ConfigReader reader) {
        String url = reader.string("database", DEFAULT_URL);
        if (!url.startsWith("jdbc:")) {
            throw ConfigReader.bad("database", "must be a JDBC URL (jdbc:...), not '" + url + "'");
        }
        return new DatabaseConfig(url, DEFAULT_POOL_SIZE);
    }

    @Override
    public String toString() {
        // The URL may carry a password.
        return "DatabaseConfig[" + jdbcUrl.replaceAll("password=[^&;]*", "password=***") + "]";
    }
}
