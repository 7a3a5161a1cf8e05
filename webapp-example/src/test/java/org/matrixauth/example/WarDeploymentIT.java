package org.matrixauth.example;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import org.eclipse.jetty.ee10.webapp.WebAppContext;
import org.eclipse.jetty.server.Server;
import org.eclipse.jetty.server.ServerConnector;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.matrixauth.store.jdbi.SynapseDatabase;

/**
 * The built war, deployed with Jetty's WebAppContext on a free port: its WEB-INF/web.xml registers
 * the filter with init-params (the config file inside the war, the route rules), and the
 * container's context parameters override single keys, as a deployer would.
 */
class WarDeploymentIT {
    @TempDir
    static Path dir;

    static Server server;
    static String base;
    static final HttpClient HTTP = HttpClient.newHttpClient();

    @BeforeAll
    static void deploy() throws Exception {
        Path war = Path.of(System.getProperty("example.war"));
        assertTrue(Files.isRegularFile(war), "the war is built before this test: " + war);
        // A file database in server mode, so this test and the web application (each with its own H2 classes) share it.
        String url = "jdbc:h2:file:" + dir.resolve("homeserver") + ";AUTO_SERVER=TRUE";
        try (SynapseDatabase database = SynapseDatabase.open(url, 1)) {
            database.jdbi().useHandle(h -> {
                h.execute("INSERT INTO users (name, creation_ts, admin, is_guest, deactivated) VALUES ('@alice:example.test', 1600000000, 0, 0, 0)");
                h.execute("INSERT INTO access_tokens (id, user_id, device_id, token) VALUES (1, '@alice:example.test', 'ALICEDEV', 'alice_token')");
            });
        }

        WebAppContext webapp = new WebAppContext();
        webapp.setWar(war.toString());
        webapp.setContextPath("/");
        webapp.setTempDirectory(dir.resolve("unpacked").toFile());
        webapp.setInitParameter("matrix_auth.database", url);
        webapp.setInitParameter("matrix_auth.server_name", "example.test");
        server = new Server();
        ServerConnector connector = new ServerConnector(server);
        connector.setPort(0);
        server.addConnector(connector);
        server.setHandler(webapp);
        server.start();
        assertTrue(webapp.isAvailable(), "the web application started");
        base = "http://127.0.0.1:" + connector.getLocalPort();
    }

    @AfterAll
    static void undeploy() throws Exception {
        server.stop();
    }

    private static HttpResponse<String> get(String path, String token) throws Exception {
        return send("GET", path, token);
    }

    private static HttpResponse<String> send(String method, String path, String token) throws Exception {
        HttpRequest.Builder request = HttpRequest.newBuilder(URI.create(base + path)).method(method, HttpRequest.BodyPublishers.noBody());
        if (token != null) {
            request.header("Authorization", "Bearer " + token);
        }
        return HTTP.send(request.build(), HttpResponse.BodyHandlers.ofString());
    }

    @Test
    void versionsIsPublic() throws Exception {
        HttpResponse<String> response = get("/_matrix/client/versions", null);
        assertEquals(200, response.statusCode());
        assertTrue(response.body().contains("\"v1.11\""), response.body());
    }

    @Test
    void whoamiAnswersForAToken() throws Exception {
        HttpResponse<String> response = get("/_matrix/client/v3/account/whoami", "alice_token");
        assertEquals(200, response.statusCode(), response.body());
        assertEquals("{\"user_id\":\"@alice:example.test\",\"device_id\":\"ALICEDEV\",\"is_guest\":false,"
                + "\"org.matrix.msc3069.is_guest\":false}", response.body());
    }

    @Test
    void pathsNothingServesAreMatrixErrorsInTheWarToo() throws Exception {
        // web.xml's fallback servlet and error page, not the container's directory listing, HTML or JSP engine.
        for (String path : new String[] {"/", "/nothing", "/index.jsp", "/WEB-INF/web.xml"}) {
            HttpResponse<String> response = get(path, "alice_token");
            assertEquals(404, response.statusCode(), path);
            assertEquals("{\"errcode\":\"M_UNRECOGNIZED\",\"error\":\"Unrecognized request\"}", response.body(), path);
        }
    }

    @Test
    void unservedPathsAndMethodsAreUnrecognizedWithOrWithoutATokenAsInSynapse() throws Exception {
        // web.xml lists what is served, then "/** public": the rest is answered before any token is asked for.
        for (String token : new String[] {null, "alice_token", "bogus"}) {
            for (String path : new String[] {"/_matrix/client/v1/auth_metadata",
                    "/_matrix/client/unstable/org.matrix.msc2965/auth_issuer"}) {
                HttpResponse<String> response = get(path, token);
                assertEquals(404, response.statusCode(), path + " with " + token);
                assertEquals("{\"errcode\":\"M_UNRECOGNIZED\",\"error\":\"Unrecognized request\"}", response.body());
            }
            for (String[] request : new String[][] {{"POST", "/_matrix/client/v3/account/whoami"},
                    {"DELETE", "/_matrix/client/versions"}, {"POST", "/_synapse/metrics"}}) {
                HttpResponse<String> response = send(request[0], request[1], token);
                assertEquals(405, response.statusCode(), request[0] + " " + request[1] + " with " + token);
                assertEquals("{\"errcode\":\"M_UNRECOGNIZED\",\"error\":\"Unrecognized request\"}", response.body());
            }
        }
    }

    @Test
    void whoamiRefusesWithoutAToken() throws Exception {
        HttpResponse<String> response = get("/_matrix/client/r0/account/whoami", null);
        assertEquals(401, response.statusCode());
        assertEquals("{\"errcode\":\"M_MISSING_TOKEN\",\"error\":\"Missing access token\"}", response.body());
    }

    @Test
    void whoamiRefusesAnUnknownToken() throws Exception {
        HttpResponse<String> response = get("/_matrix/client/v3/account/whoami", "nope");
        assertEquals(401, response.statusCode());
        assertEquals("{\"errcode\":\"M_UNKNOWN_TOKEN\",\"error\":\"Unrecognised access token\",\"soft_logout\":false}",
                response.body());
    }

    @Test
    void metricsAreServedFromTheSameWebApplication() throws Exception {
        get("/_matrix/client/v3/account/whoami", "alice_token");
        HttpResponse<String> response = get("/_synapse/metrics", null);
        assertEquals(200, response.statusCode());
        assertTrue(response.body().contains("matrix_auth_requests_total{outcome=\"authenticated\"}"), response.body());
    }
}
