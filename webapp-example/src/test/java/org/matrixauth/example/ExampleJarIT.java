package org.matrixauth.example;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The README's run command as a new user meets it: the built jar started as a process in an empty
 * directory, with no configuration; it prints a URL that answers /_matrix/client/versions, and
 * SIGTERM stops it.
 */
class ExampleJarIT {
    @TempDir
    Path workingDirectory;

    @Test
    void theJarStartsWithNoConfigurationAndStopsOnSigterm() throws Exception {
        try (ExampleProcess example = ExampleProcess.start(workingDirectory)) {
            String output = example.output();
            String url = output.substring(output.indexOf(ExampleProcess.LISTENING) + ExampleProcess.LISTENING.length()).lines()
                    .findFirst().orElseThrow();
            assertEquals("http://localhost:" + example.port(), url);
            HttpResponse<String> versions = HttpClient.newHttpClient().send(
                    HttpRequest.newBuilder(URI.create(url + "/_matrix/client/versions")).build(),
                    HttpResponse.BodyHandlers.ofString());
            assertEquals(200, versions.statusCode());
            assertTrue(versions.body().contains("\"versions\""));
            assertTrue(Files.exists(workingDirectory.resolve("data/homeserver.yaml")));
            assertTrue(Files.exists(workingDirectory.resolve("data/homeserver.mv.db")), "the embedded H2 database in ./data");
            example.stop();
        }
    }
}
