package org.matrixauth.config;

import com.fasterxml.jackson.databind.JsonNode;

/** For tests outside this package: a configuration from a parsed homeserver.yaml, without a file. */
public final class ConfigTrees {
    private ConfigTrees() {}

    public static AuthConfig fromTree(JsonNode root) {
        return AuthConfig.fromTree(root);
    }
}
