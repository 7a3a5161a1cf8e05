package org.matrixauth.example;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.ConnectException;
import java.net.Inet4Address;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.NetworkInterface;
import java.net.Socket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The example jar listens where homeserver.yaml's client listener says, as Synapse does: its
 * {@code bind_addresses} and nowhere else, {@code x_forwarded}, {@code --port} over its port.
 */
class ClientListenerIT {
    @TempDir
    Path dir;

    @Test
    void bindAddressesAreObeyedAndXForwardedGivesTheClientAddressOfTheAccessLog() throws Exception {
        Path config = Files.writeString(dir.resolve("homeserver.yaml"), """
                server_name: test
                database: "jdbc:h2:file:%s"
                listeners:
                  - port: 1
                    type: http
                    x_forwarded: true
                    bind_addresses: ['127.0.0.1']
                    resources:
                      - names: [client, federation]
                  - port: 9000
                    type: metrics
                """.formatted(dir.resolve("db")));
        String log;
        try (ExampleProcess example = ExampleProcess.start(dir, "--config", config.toString())) {
            HttpResponse<String> answer = HttpClient.newHttpClient().send(HttpRequest.newBuilder(
                            URI.create("http://127.0.0.1:" + example.port() + "/_matrix/client/versions"))
                    .header("X-Forwarded-For", "203.0.113.7, 10.0.0.1").build(), HttpResponse.BodyHandlers.ofString());
            assertEquals(200, answer.statusCode(), "--port wins over the listener's port 1");
            List<InetAddress> others = otherLocalAddresses();
            assertTrue(!others.isEmpty(), "this machine has ::1 or another address besides 127.0.0.1");
            for (InetAddress other : others) {
                assertThrows(ConnectException.class, () -> {
                    try (Socket socket = new Socket()) {
                        socket.connect(new InetSocketAddress(other, example.port()), 2_000);
                    }
                }, "not listening on " + other.getHostAddress());
            }
            example.stop();
            log = example.output();
        }
        assertTrue(log.lines().anyMatch(line -> line.contains(" - 203.0.113.7 - ") && line.contains("GET /_matrix/client/versions")),
                "x_forwarded: the first X-Forwarded-For address is the client's:\n" + log);
        assertTrue(log.contains("listeners[0].resources: 'federation' is not served"), "what it cannot serve is named:\n" + log);
        assertTrue(log.contains("listeners[1] (type metrics) is not served"), "what it cannot serve is named");
    }

    /** Every address of this machine's interfaces but 127.0.0.1: ::1 and the host's own, where it has them. */
    private static List<InetAddress> otherLocalAddresses() throws Exception {
        return NetworkInterface.networkInterfaces().filter(nic -> {
                    try {
                        return nic.isUp();
                    } catch (java.net.SocketException e) {
                        return false;
                    }
                }).flatMap(NetworkInterface::inetAddresses)
                .filter(address -> !address.isLinkLocalAddress() && !address.getHostAddress().equals("127.0.0.1"))
                .filter(address -> address instanceof Inet4Address || !address.isMulticastAddress())
                .toList();
    }
}
