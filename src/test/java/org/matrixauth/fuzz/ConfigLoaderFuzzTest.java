package org.matrixauth.fuzz;

import com.code_intelligence.jazzer.junit.FuzzTest;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import java.io.IOException;
import org.matrixauth.config.ConfigTrees;
import org.matrixauth.config.ConfigException;

/** SPEC section 9: any homeserver.yaml is a configuration or a ConfigException naming a key. */
class ConfigLoaderFuzzTest {
    private static final ObjectMapper YAML = new ObjectMapper(new YAMLFactory());

    @FuzzTest(maxDuration = "60s")
    void readAnyYaml(byte[] yaml) {
        JsonNode tree;
        try {
            tree = YAML.readTree(yaml);
        } catch (IOException e) {
            return;
        }
        if (tree == null || !tree.isObject()) {
            return; // AuthConfig.load refuses non-mappings before this point, naming config_file
        }
        try {
            ConfigTrees.fromTree(tree);
        } catch (ConfigException e) {
            if (!e.getMessage().startsWith("configuration key '")) {
                throw new AssertionError("no key named: " + e.getMessage());
            }
        }
    }
}
