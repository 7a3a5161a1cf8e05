package org.matrixauth.config;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** The keys the foundation reads (SPEC section 9): from a homeserver.yaml, overridden by init-params. */
class AuthConfigTest {
    @TempDir
    Path dir;

    @Test
    void defaults() {
        AuthConfig config = AuthConfig.load(Map.of("server_name", "example.org"));
        assertEquals("example.org", config.serverName());
        assertNull(config.macaroonSecretKey());
        assertTrue(config.allowAccessTokenQuery(), "EXT-7: on by default, as in Synapse");
        assertFalse(config.msc3202DeviceMasquerading());
        assertFalse(config.accountValidityEnabled());
        assertEquals(List.of(), config.appServiceConfigFiles());
        assertEquals(DatabaseConfig.DEFAULT_URL, config.database().jdbcUrl());
    }

    @Test
    void readsSynapseKeysFromYamlAndInitParamsOverrideThem() throws IOException {
        Path file = Files.writeString(dir.resolve("homeserver.yaml"), """
                server_name: example.org
                macaroon_secret_key: "s3cret"
                allow_access_token_query: false
                app_service_config_files:
                  - /etc/synapse/irc.yaml
                  - /etc/synapse/slack.yaml
                experimental_features:
                  msc3202_device_masquerading: true
                account_validity:
                  enabled: true
                  period: 6w
                database: jdbc:h2:mem:x
                """);
        AuthConfig fromFile = AuthConfig.load(Map.of(AuthConfig.CONFIG_FILE_KEY, file.toString()));
        assertEquals("example.org", fromFile.serverName());
        assertEquals("s3cret", fromFile.macaroonSecretKey());
        assertFalse(fromFile.allowAccessTokenQuery());
        assertTrue(fromFile.msc3202DeviceMasquerading());
        assertTrue(fromFile.accountValidityEnabled());
        assertEquals(List.of(Path.of("/etc/synapse/irc.yaml"), Path.of("/etc/synapse/slack.yaml")),
                fromFile.appServiceConfigFiles());
        assertEquals("jdbc:h2:mem:x", fromFile.database().jdbcUrl());

        Map<String, String> overrides = new HashMap<>(Map.of(AuthConfig.CONFIG_FILE_KEY, file.toString(),
                "server_name", "other.org",
                "account_validity.enabled", "false",
                "experimental_features.msc3202_device_masquerading", "no",
                "app_service_config_files", "/a.yaml, /b.yaml"));
        AuthConfig overridden = AuthConfig.load(overrides);
        assertEquals("other.org", overridden.serverName());
        assertFalse(overridden.accountValidityEnabled());
        assertFalse(overridden.msc3202DeviceMasquerading());
        assertEquals(List.of(Path.of("/a.yaml"), Path.of("/b.yaml")), overridden.appServiceConfigFiles());
        assertEquals("s3cret", overridden.macaroonSecretKey(), "keys not overridden keep the file's value");
    }

    @ParameterizedTest(name = "bad {0} is named")
    @CsvSource(delimiter = '|', value = {
        "server_name | ''",
        "allow_access_token_query | maybe",
        "account_validity.enabled | 2",
        "experimental_features.msc3202_device_masquerading | enabled",
        "database | postgres://localhost/synapse",
    })
    void badValuesNameTheirKey(String key, String value) {
        Map<String, String> settings = new HashMap<>(Map.of("server_name", "example.org"));
        settings.put(key, value);
        ConfigException e = assertThrows(ConfigException.class, () -> AuthConfig.load(settings));
        assertTrue(e.getMessage().startsWith("configuration key '" + key + "'"), e.getMessage());
    }

    @Test
    void missingServerNameIsNamed() {
        ConfigException e = assertThrows(ConfigException.class, () -> AuthConfig.load(Map.of()));
        assertEquals("configuration key 'server_name' is required", e.getMessage());
    }

    @Test
    void badYamlShapesAreNamed() throws IOException {
        Path file = Files.writeString(dir.resolve("homeserver.yaml"), """
                server_name: example.org
                app_service_config_files: 5
                """);
        ConfigException e = assertThrows(ConfigException.class,
                () -> AuthConfig.load(Map.of(AuthConfig.CONFIG_FILE_KEY, file.toString())));
        assertEquals("configuration key 'app_service_config_files' must be a list of strings", e.getMessage());

        Path list = Files.writeString(dir.resolve("list.yaml"), "- a\n");
        e = assertThrows(ConfigException.class, () -> AuthConfig.load(Map.of(AuthConfig.CONFIG_FILE_KEY, list.toString())));
        assertTrue(e.getMessage().startsWith("configuration key 'config_file': "), e.getMessage());

        Path missing = dir.resolve("absent.yaml");
        e = assertThrows(ConfigException.class, () -> AuthConfig.load(Map.of(AuthConfig.CONFIG_FILE_KEY, missing.toString())));
        assertTrue(e.getMessage().startsWith("configuration key 'config_file': cannot read " + missing), e.getMessage());
    }

    @Test
    void secretsStayOutOfToString() {
        AuthConfig config = AuthConfig.load(Map.of("server_name", "example.org", "macaroon_secret_key", "s3cret",
                "database", "jdbc:postgresql://db/synapse?user=synapse&password=hunter2"));
        assertFalse(config.toString().contains("s3cret"), config.toString());
        assertFalse(config.toString().contains("hunter2"), config.toString());
    }
}
