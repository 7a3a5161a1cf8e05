package org.matrixauth.example;

import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/** The built example jar as a process of its own, on a free port, its whole output kept in a file. */
final class ExampleProcess implements AutoCloseable {
    static final String LISTENING = "matrix-auth-filter example homeserver listening on ";

    private final Process process;
    private final Path output;
    private final int port;

    private ExampleProcess(Process process, Path output, int port) {
        this.process = process;
        this.output = output;
        this.port = port;
    }

    /**
     * Starts {@code java -jar webapp-example.jar ARGS --port N} in the directory and waits until it
     * says it is listening.
     */
    static ExampleProcess start(Path directory, String... args) throws Exception {
        return start(directory, List.of(), args);
    }

    /** As {@link #start(Path, String...)}, with these options to the JVM (before {@code -jar}). */
    static ExampleProcess start(Path directory, List<String> jvmOptions, String... args) throws Exception {
        int port;
        try (ServerSocket free = new ServerSocket(0)) {
            port = free.getLocalPort();
        }
        List<String> command = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString()));
        command.addAll(jvmOptions);
        command.addAll(List.of("-jar", System.getProperty("example.jar")));
        command.addAll(List.of(args));
        command.addAll(List.of("--port", Integer.toString(port)));
        Path output = directory.resolve("output.log");
        Process process = new ProcessBuilder(command).directory(directory.toFile()).redirectErrorStream(true)
                .redirectOutput(output.toFile()).start();
        ExampleProcess example = new ExampleProcess(process, output, port);
        long deadline = System.currentTimeMillis() + 60_000;
        while (!example.output().contains(LISTENING)) {
            assertTrue(process.isAlive() && System.currentTimeMillis() < deadline, "not started: " + example.output());
            Thread.sleep(100);
        }
        return example;
    }

    int port() {
        return port;
    }

    /** Everything it has printed so far, standard output and error alike. */
    String output() throws IOException {
        return Files.readString(output, StandardCharsets.UTF_8);
    }

    /** SIGTERM, as an operator stops it; it must be gone within 30 s. */
    void stop() throws InterruptedException {
        process.destroy();
        assertTrue(process.waitFor(30, TimeUnit.SECONDS), "stopped on SIGTERM");
    }

    @Override
    public void close() {
        process.destroyForcibly();
    }
}
