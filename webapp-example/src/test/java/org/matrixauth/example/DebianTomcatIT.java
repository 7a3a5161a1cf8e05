package org.matrixauth.example;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The war on Debian's packaged Tomcat ({@code tomcat10}, as an operator installs it): a private
 * CATALINA_BASE with its own server.xml on a free port, the war deployed by a context file in
 * {@code conf/Catalina/localhost/}, started with {@code catalina.sh run}. The filter's and the
 * access log's lines reach Tomcat's own log ({@code logs/catalina.DATE.log}) through the war's
 * slf4j-jdk14. Skipped with a message where tomcat10 is not installed; under {@code CI=true},
 * where {@code .ci/run} installs it, it fails instead.
 */
class DebianTomcatIT {
    static final Path CATALINA_HOME = Path.of("/usr/share/tomcat10");
    static final Path DEBIAN_CONF = Path.of("/etc/tomcat10");

    @TempDir
    Path base;

    @Test
    void theFiltersAndTheAccessLogsLinesReachTomcatsLog() throws Exception {
        requireTomcat();
        int port;
        try (ServerSocket free = new ServerSocket(0)) {
            port = free.getLocalPort();
        }
        for (String dir : new String[] {"logs", "temp", "work", "webapps", "conf/Catalina/localhost"}) {
            Files.createDirectories(base.resolve(dir));
        }
        for (String file : new String[] {"web.xml", "logging.properties", "catalina.properties", "context.xml"}) {
            Files.copy(DEBIAN_CONF.resolve(file), base.resolve("conf").resolve(file));
        }
        Files.writeString(base.resolve("conf/server.xml"), """
                <Server port="-1">
                  <Service name="Catalina">
                    <Connector port="%d" address="127.0.0.1" protocol="HTTP/1.1"/>
                    <Engine name="Catalina" defaultHost="localhost">
                      <Host name="localhost" appBase="webapps" unpackWARs="true" autoDeploy="false"/>
                    </Engine>
                  </Service>
                </Server>
                """.formatted(port));
        String database = "jdbc:h2:file:" + base.resolve("homeserver");
        Files.writeString(base.resolve("conf/Catalina/localhost/ROOT.xml"), """
                <Context docBase="%s">
                  <Parameter name="matrix_auth.database" value="%s" override="false"/>
                  <Parameter name="matrix_auth.server_name" value="example.test" override="false"/>
                </Context>
                """.formatted(DeployedWarContract.WAR.toAbsolutePath(), database));
        ProcessBuilder catalina = new ProcessBuilder(CATALINA_HOME.resolve("bin/catalina.sh").toString(), "run")
                .redirectErrorStream(true).redirectOutput(base.resolve("stdout.log").toFile());
        catalina.environment().put("CATALINA_HOME", CATALINA_HOME.toString());
        catalina.environment().put("CATALINA_BASE", base.toString());
        catalina.environment().put("JAVA_HOME", System.getProperty("java.home"));
        Process tomcat = catalina.start();
        try {
            HttpClient http = HttpClient.newHttpClient();
            URI whoami = URI.create("http://127.0.0.1:" + port + "/_matrix/client/v3/account/whoami?access_token=unknown_token");
            long deadline = System.currentTimeMillis() + 60_000;
            HttpResponse<String> answer = null;
            while (answer == null) {
                try {
                    answer = http.send(HttpRequest.newBuilder(whoami).build(), HttpResponse.BodyHandlers.ofString());
                } catch (IOException notYet) {
                    assertTrue(tomcat.isAlive() && System.currentTimeMillis() < deadline, "Tomcat did not start: " + output());
                    Thread.sleep(200);
                }
            }
            assertEquals(401, answer.statusCode(), answer.body());
            deadline = System.currentTimeMillis() + 10_000;
            while (!catalinaLog().contains("Processed request") && System.currentTimeMillis() < deadline) {
                Thread.sleep(100); // JULI's AsyncFileHandler writes behind
            }
            String log = catalinaLog();
            assertTrue(log.contains("matrix-auth-filter started for example.test"), "the filter's start-up line:\n" + log + output());
            assertTrue(log.contains("{None} Processed request: ") && log.contains(
                    " 401 \"GET /_matrix/client/v3/account/whoami?access_token=<redacted> HTTP/1.1\""), "the access line:\n" + log);
            assertTrue(!log.contains("unknown_token") && !output().contains("unknown_token"), "no token in Tomcat's logs");
        } finally {
            tomcat.destroy(); // SIGTERM: catalina.sh run execs the JVM, whose shutdown hook stops Tomcat
            if (!tomcat.waitFor(30, TimeUnit.SECONDS)) {
                tomcat.destroyForcibly();
            }
        }
    }

    private void requireTomcat() {
        if (Files.isExecutable(CATALINA_HOME.resolve("bin/catalina.sh")) && Files.isDirectory(DEBIAN_CONF)) {
            return;
        }
        String message = "Debian's tomcat10 is not installed (apt-get install tomcat10): the war on a packaged Tomcat is not tried";
        if ("true".equals(System.getenv("CI"))) {
            throw new AssertionError(message + ": under CI=true it must run");
        }
        Assumptions.abort(message);
    }

    /** Tomcat's own log file, logs/catalina.DATE.log. */
    private String catalinaLog() throws IOException {
        try (Stream<Path> files = Files.list(base.resolve("logs"))) {
            StringBuilder text = new StringBuilder();
            for (Path file : files.filter(f -> f.getFileName().toString().startsWith("catalina.")).toList()) {
                text.append(Files.readString(file));
            }
            return text.toString();
        }
    }

    private String output() throws IOException {
        return Files.readString(base.resolve("stdout.log"));
    }
}
