package org.matrixauth.fuzz;

import com.code_intelligence.jazzer.junit.FuzzTest;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import java.io.IOException;
import org.matrixauth.appservice.RegistrationLoader;
import org.matrixauth.config.ConfigException;

/** AS-8: any YAML is a registration or a ConfigException naming the field, never anything else. */
class RegistrationLoaderFuzzTest {
    private static final ObjectMapper YAML = new ObjectMapper(new YAMLFactory());
    private final RegistrationLoader loader = new RegistrationLoader("fuzz");

    @FuzzTest(maxDuration = "60s")
    void parseAnyYaml(byte[] yaml) {
        JsonNode tree;
        try {
            tree = YAML.readTree(yaml);
        } catch (IOException e) {
            return; // not YAML: the loader reports the file as unreadable
        }
        try {
            loader.parse(tree, "fuzz.yaml");
        } catch (ConfigException e) {
            if (!e.getMessage().contains("fuzz.yaml")) {
                throw new AssertionError("the file is not named: " + e.getMessage());
            }
        }
    }
}
