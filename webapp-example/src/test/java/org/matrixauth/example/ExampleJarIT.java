package org.matrixauth.example;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;
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
        int port;
        try (ServerSocket free = new ServerSocket(0)) {
            port = free.getLocalPort();
        }
        Process process = new ProcessBuilder(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-jar", System.getProperty("example.jar"), "--port", Integer.toString(port))
                .directory(workingDirectory.toFile())
                .redirectErrorStream(true)
                .start();
        try (BufferedReader output = new BufferedReader(new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8))) {
            String url = null;
            long deadline = System.currentTimeMillis() + 60_000;
            while (url == null && System.currentTimeMillis() < deadline) {
                String line = output.readLine();
                if (line == null) {
                    break;
                }
                if (line.startsWith("matrix-auth-filter example homeserver listening on ")) {
                    url = line.substring(line.lastIndexOf(' ') + 1);
                }
            }
            assertEquals("http://localhost:" + port, url);
            HttpResponse<String> versions = HttpClient.newHttpClient().send(
                    HttpRequest.newBuilder(URI.create(url + "/_matrix/client/versions")).build(),
                    HttpResponse.BodyHandlers.ofString());
            assertEquals(200, versions.statusCode());
            assertTrue(versions.body().contains("\"versions\""));
            assertTrue(Files.exists(workingDirectory.resolve("data/homeserver.yaml")));
            assertTrue(Files.exists(workingDirectory.resolve("data/homeserver.mv.db")), "the embedded H2 database in ./data");

            process.destroy(); // SIGTERM
            assertTrue(process.waitFor(30, TimeUnit.SECONDS), "stopped on SIGTERM");
        } finally {
            process.destroyForcibly();
        }
    }
}
