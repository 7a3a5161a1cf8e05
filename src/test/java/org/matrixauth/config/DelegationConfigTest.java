package org.matrixauth.config;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** OAU-1 beyond the key table: the secret from a file, and never in a printed configuration. */
class DelegationConfigTest {
    @TempDir
    Path dir;

    @Test
    @DisplayName("OAU-1 secret_path: the file's text without surrounding whitespace, as Synapse reads it")
    void secretFromAFile() throws IOException {
        Path secret = Files.writeString(dir.resolve("mas_secret"), "  from-a-file\n");
        AuthConfig config = AuthConfig.load(Map.of("server_name", "test",
                "matrix_authentication_service.enabled", "true",
                "matrix_authentication_service.secret_path", secret.toString()));
        assertEquals("from-a-file", config.delegation().secret());
        assertFalse(config.delegation().toString().contains("from-a-file"), config.delegation().toString());
    }
}
