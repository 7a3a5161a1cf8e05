package org.matrixauth.example;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.HexFormat;
import java.util.List;
import java.security.SecureRandom;
import java.util.Map;
import org.eclipse.jetty.ee10.servlet.ErrorPageErrorHandler;
import org.eclipse.jetty.ee10.webapp.WebAppContext;
import org.eclipse.jetty.server.Server;
import org.eclipse.jetty.server.ServerConnector;
import org.eclipse.jetty.util.resource.ResourceFactory;
import org.matrixauth.servlet.BrowserHeaders;

/**
 * The example homeserver as a program: embedded Jetty running the web application in this jar
 * (the same WEB-INF/web.xml as the war).
 *
 * <pre>
 * java -jar webapp-example.jar [--config FILE] [--port N]
 * java -jar webapp-example.jar register_new_matrix_user -c FILE -u USER -p PASSWORD [-a] [URL]
 * </pre>
 *
 * Without {@code --config} it keeps everything under {@code ./data}: a generated
 * {@code homeserver.yaml} (server name {@code localhost}, fresh secrets) and the embedded H2
 * database. It listens as the config's {@code listeners} say ({@link ClientListener}), on
 * {@code --port} where given. SIGTERM stops it gracefully: queued client-IP rows are written before it exits.
 */
public final class ExampleHomeserver {
    static final Path DATA = Path.of("data");

    private final Server server;
    private final List<ServerConnector> connectors;

    /** @param port {@code --port}, which wins over the listener's; null when not given */
    private ExampleHomeserver(Path config, Integer port) throws IOException {
        ClientListener listener = ClientListener.read(config);
        server = new Server();
        server.setErrorHandler(new MatrixJsonErrorHandler());
        connectors = ListenerConnectors.open(server, listener, port != null ? port : listener.port());
        Map<String, String> parameters = new HashMap<>(Map.of("matrix_auth.config_file", config.toAbsolutePath().toString()));
        if (listener.requestIdHeader() != null) {
            parameters.put(AccessLogFilter.REQUEST_ID_HEADER_PARAMETER, listener.requestIdHeader());
        }
        server.setHandler(webApplication(server, parameters));
        server.setStopAtShutdown(true); // SIGTERM: stop Jetty, so the filter flushes its queue
    }

    /**
     * The web application in this jar at the root context, with these servlet-context parameters;
     * a failure to start it (the filter's configuration, {@link RouteCheck}) fails the server's start.
     */
    static WebAppContext webApplication(Server server, Map<String, String> contextParameters) {
        WebAppContext webapp = new WebAppContext();
        webapp.setContextPath("/");
        webapp.setBaseResource(ResourceFactory.of(server).newClassLoaderResource("webapp"));
        webapp.setParentLoaderPriority(true); // the jar's classes, not a WEB-INF/lib
        // web.xml's error page answers in Matrix JSON; Jetty's own Cache-Control on it is then Synapse's (WEB-3).
        ErrorPageErrorHandler errors = new ErrorPageErrorHandler();
        errors.setCacheControl(BrowserHeaders.NO_CACHE);
        webapp.setErrorHandler(errors);
        contextParameters.forEach(webapp::setInitParameter);
        webapp.setThrowUnavailableOnStartupException(true);
        return webapp;
    }

    /** @param port {@code --port}: wins over the port of the config's listener; null to use the listener's */
    public static ExampleHomeserver start(Path config, Integer port) throws Exception {
        ExampleHomeserver homeserver = new ExampleHomeserver(config, port);
        homeserver.server.start();
        return homeserver;
    }

    public int port() {
        return connectors.get(0).getLocalPort();
    }

    public void stop() throws Exception {
        server.stop();
    }

    public static void main(String[] args) throws Exception {
        if (args.length > 0 && args[0].equals(RegisterNewMatrixUser.COMMAND)) {
            System.exit(RegisterNewMatrixUser.run(args));
        }
        Path config = null;
        Integer port = null;
        for (int i = 0; i < args.length; i++) {
            switch (args[i]) {
                case "--config" -> config = Path.of(value(args, ++i, "--config"));
                case "--port" -> port = Integer.parseInt(value(args, ++i, "--port"));
                default -> usage("unknown argument " + args[i]);
            }
        }
        if (config == null) {
            config = defaultConfig(DATA);
        }
        ExampleHomeserver homeserver = start(config, port);
        String url = "http://localhost:" + homeserver.port();
        System.out.println("matrix-auth-filter example homeserver listening on " + url);
        System.out.println("  try:  curl " + url + "/_matrix/client/versions");
        System.out.println("  create a first admin (shared-secret registration, as Synapse's script does):");
        System.out.println("        java -jar webapp-example/target/webapp-example.jar register_new_matrix_user -c " + config
                + " -u admin -p <password> -a " + url);
        homeserver.server.join();
    }

    /** Like Synapse's --generate-config: written once under the data directory, then reused. */
    static Path defaultConfig(Path data) throws IOException {
        Path config = data.resolve("homeserver.yaml");
        if (!Files.exists(config)) {
            Files.createDirectories(data);
            Files.writeString(config, """
                    # Generated on first start. Synapse's keys; see the project README for all of them.
                    server_name: localhost
                    registration_shared_secret: "%s"
                    macaroon_secret_key: "%s"
                    allow_guest_access: true
                    # No database key: the embedded H2 database in ./data.
                    """.formatted(secret(), secret()));
            System.out.println("wrote " + config.toAbsolutePath() + " (server name localhost, fresh secrets)");
        }
        return config;
    }

    private static String secret() {
        byte[] bytes = new byte[32];
        new SecureRandom().nextBytes(bytes);
        return HexFormat.of().formatHex(bytes);
    }

    private static String value(String[] args, int index, String option) {
        if (index >= args.length) {
            usage(option + " needs a value");
        }
        return args[index];
    }

    private static void usage(String problem) {
        System.err.println(problem);
        System.err.println("usage: java -jar webapp-example.jar [--config FILE] [--port N]");
        System.err.println("       java -jar webapp-example.jar register_new_matrix_user -c FILE -u USER -p PASSWORD [-a] [URL]");
        System.exit(2);
    }
}
