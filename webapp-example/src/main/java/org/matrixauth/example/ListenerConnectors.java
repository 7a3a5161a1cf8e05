package org.matrixauth.example;

import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import org.eclipse.jetty.server.ForwardedRequestCustomizer;
import org.eclipse.jetty.server.HttpConfiguration;
import org.eclipse.jetty.server.HttpConnectionFactory;
import org.eclipse.jetty.server.Server;
import org.eclipse.jetty.server.ServerConnector;

/**
 * Jetty connectors for a {@link ClientListener}: one per bind address, all on one port, each bound
 * before the server starts.
 */
final class ListenerConnectors {
    private ListenerConnectors() {}

    static List<ServerConnector> open(Server server, ClientListener listener, int port) throws IOException {
        HttpConfiguration http = new HttpConfiguration();
        if (listener.xForwarded()) {
            // Synapse's XForwardedForRequest: the client is whom the proxy names. Jetty's customizer
            // reads X-Forwarded-For's first address (and Forwarded, X-Forwarded-Proto/-Host) as the
            // request's remote address, which the filter and the access log then see.
            http.addCustomizer(new ForwardedRequestCustomizer());
        }
        List<ServerConnector> connectors = new ArrayList<>();
        int bound = port;
        for (String address : listener.bindAddresses()) {
            ServerConnector connector = new ServerConnector(server, new HttpConnectionFactory(http));
            connector.setHost(address);
            connector.setPort(bound);
            try {
                connector.open();
            } catch (IOException e) {
                if (!isCoveredByWildcard(address, listener.bindAddresses())) {
                    throw new IOException("cannot listen on " + address + " port " + bound + ": " + e.getMessage(), e);
                }
                continue;
            }
            server.addConnector(connector);
            connectors.add(connector);
            bound = connector.getLocalPort(); // port 0: every address on the one port the first was given
        }
        return connectors;
    }

    /**
     * Synapse's {@code check_bind_error}: where '::' also accepts IPv4 (Linux's default), binding
     * 0.0.0.0 on the same port after it fails, and that is no error.
     */
    private static boolean isCoveredByWildcard(String address, List<String> addresses) {
        return address.equals("0.0.0.0") && addresses.contains("::");
    }
}
