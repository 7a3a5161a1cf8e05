package org.matrixauth.config;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.matrixauth.api.PublicApi;
import org.matrixauth.json.Mappers;

/**
 * The filter's configuration, in Synapse's own keys (SPEC section 9). Read from a
 * homeserver.yaml-style file and/or single keys (web.xml init-params override the file),
 * validated once at start-up.
 *
 * @param serverName {@code server_name}
 * @param macaroonSecretKey {@code macaroon_secret_key}; null turns guest macaroons off
 * @param allowAccessTokenQuery {@code allow_access_token_query} (EXT-7)
 * @param msc3202DeviceMasquerading {@code experimental_features.msc3202_device_masquerading} (AS-5b)
 * @param accountValidityEnabled {@code account_validity.enabled} (TOK-9)
 * @param appServiceConfigFiles {@code app_service_config_files} (AS-8)
 * @param database where Synapse's tables are
 * @param tracking what is recorded (section 5)
 * @param mau monthly active users (TRK-6, sections 6, 7)
 * @param blocking when the server refuses to act (section 6)
 * @param caches the caches in front of the database (section 11)
 * @param delegation OAuth 2.0 delegated authentication (section 12)
 * @param failedTokenChecks what failed token checks may cost (README's FLOOD rules)
 * @param tokenLifetimes how long access and refresh tokens last (RFT)
 * @param settings every key as read, for a homeserver's own keys
 */
@PublicApi
public record AuthConfig(
        String serverName,
        String macaroonSecretKey,
        boolean allowAccessTokenQuery,
        boolean msc3202DeviceMasquerading,
        boolean accountValidityEnabled,
        List<Path> appServiceConfigFiles,
        DatabaseConfig database,
        TrackingConfig tracking,
        MauConfig mau,
        BlockingConfig blocking,
        CacheConfig caches,
        DelegationConfig delegation,
        FailedTokenChecksConfig failedTokenChecks,
        TokenLifetimesConfig tokenLifetimes,
        Settings settings) {

    /** The init-param that names the homeserver.yaml-style file. */
    public static final String CONFIG_FILE_KEY = "config_file";

    private static final ObjectMapper YAML = Mappers.yaml();

    public AuthConfig {
        appServiceConfigFiles = List.copyOf(appServiceConfigFiles);
    }

    /**
     * @param settings single keys, dotted for nesting ({@code account_validity.enabled}); the
     *     key {@value #CONFIG_FILE_KEY} names a YAML file read first, which the others override.
     *     Each must be a key the filter reads (or {@code routes}, the filter's own): a homeserver's
     *     own keys belong in the file.
     */
    public static AuthConfig load(Map<String, String> settings) {
        ObjectNode root = settings.containsKey(CONFIG_FILE_KEY)
                ? readYaml(Path.of(settings.get(CONFIG_FILE_KEY)))
                : JsonNodeFactory.instance.objectNode();
        settings.forEach((key, value) -> {
            if (!key.equals(CONFIG_FILE_KEY)) {
                put(root, key, value);
            }
        });
        return read(root, settings.keySet());
    }

    /** The configuration in a homeserver.yaml-style tree, as if read from {@value #CONFIG_FILE_KEY}. */
    static AuthConfig fromTree(JsonNode root) {
        return read(root, Set.of());
    }

    /** @param initParams the keys that came from init-params, not from the file */
    private static AuthConfig read(JsonNode root, Set<String> initParams) {
        Settings reader = new Settings(root);
        String serverName = reader.requiredString("server_name");
        DatabaseConfig database = DatabaseConfig.read(reader);
        AuthConfig config = new AuthConfig(
                serverName,
                reader.string("macaroon_secret_key", null),
                reader.bool("allow_access_token_query", true),
                reader.bool("experimental_features.msc3202_device_masquerading", false),
                reader.bool("account_validity.enabled", false),
                reader.stringList("app_service_config_files").stream().map(Path::of).toList(),
                database,
                TrackingConfig.read(reader),
                MauConfig.read(reader),
                BlockingConfig.read(reader, serverName),
                CacheConfig.read(reader),
                DelegationConfig.read(reader),
                FailedTokenChecksConfig.read(reader, database.maxPoolSize() > 0 ? database.maxPoolSize() : DatabaseConfig.DEFAULT_CP_MAX),
                TokenLifetimesConfig.read(reader),
                reader);
        // Only now is every key the filter reads known: each config reads its own.
        UnknownKeys.check(root, reader.keysRead(), initParams);
        return config;
    }

    private static ObjectNode readYaml(Path file) {
        JsonNode tree;
        try {
            tree = YAML.readTree(file.toFile());
        } catch (IOException e) {
            throw new ConfigException("configuration key '" + CONFIG_FILE_KEY + "': cannot read " + file + ": "
                    + e.getMessage(), e);
        }
        if (tree == null || tree.isMissingNode() || tree.isNull()) {
            return JsonNodeFactory.instance.objectNode();
        }
        if (!tree.isObject()) {
            throw new ConfigException("configuration key '" + CONFIG_FILE_KEY + "': " + file + " is not a YAML mapping");
        }
        return (ObjectNode) tree;
    }

    /** Sets a dotted key, creating the mappings on the way. */
    private static void put(ObjectNode root, String dottedKey, String value) {
        String[] parts = dottedKey.split("\\.");
        ObjectNode node = root;
        for (int i = 0; i < parts.length - 1; i++) {
            JsonNode child = node.get(parts[i]);
            node = child instanceof ObjectNode object ? object : node.putObject(parts[i]);
        }
        node.put(parts[parts.length - 1], value);
    }

    @Override
    public String toString() {
        // Never print the secret key.
        return "AuthConfig[server_name=" + serverName + ", database=" + database + "]";
    }
}
