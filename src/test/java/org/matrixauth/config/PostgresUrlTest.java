package org.matrixauth.config;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import java.io.IOException;
import java.util.Properties;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.postgresql.Driver;

/** Synapse's psycopg2 arguments become a PostgreSQL JDBC URL that pgjdbc reads back as they were. */
class PostgresUrlTest {
    private static final ObjectMapper YAML = new ObjectMapper(new YAMLFactory());

    @Test
    @DisplayName("CFG: a libpq option or database name with & = space % cannot inject another option")
    void valuesAreReadBackByPgjdbcAsWritten() throws IOException {
        AuthConfig config = AuthConfig.fromTree(YAML.readTree("""
                server_name: example.org
                database:
                  name: psycopg2
                  args:
                    user: synapse
                    database: "syn&apse?x=y"
                    sslmode: "require&sslmode=disable"
                    application_name: "a=b c%20d"
                    sslrootcert: "/etc/ssl/ca&sslfactory=org.postgresql.ssl.NonValidatingFactory"
                """));
        Properties parsed = Driver.parseURL(config.database().jdbcUrl(), new Properties());

        assertEquals("syn&apse?x=y", parsed.getProperty("PGDBNAME"));
        assertEquals("require&sslmode=disable", parsed.getProperty("sslmode"));
        assertEquals("a=b c%20d", parsed.getProperty("ApplicationName"));
        assertEquals("/etc/ssl/ca&sslfactory=org.postgresql.ssl.NonValidatingFactory", parsed.getProperty("sslrootcert"));
        assertFalse(parsed.containsKey("sslfactory"), parsed.toString());
        assertFalse(parsed.containsKey("x"), parsed.toString());
    }
}
