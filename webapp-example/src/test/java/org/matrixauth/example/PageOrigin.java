package org.matrixauth.example;

import java.nio.file.Path;
import org.eclipse.jetty.server.Server;
import org.eclipse.jetty.server.ServerConnector;
import org.eclipse.jetty.server.handler.ResourceHandler;
import org.eclipse.jetty.util.resource.ResourceFactory;

/**
 * A second origin: a plain Jetty on a port of its own serving a directory of static files, as a web
 * client such as Element Web is served from somewhere else than the homeserver.
 */
final class PageOrigin implements AutoCloseable {
    private final Server server = new Server();
    private final ServerConnector connector = new ServerConnector(server);

    private PageOrigin(Path directory) {
        server.addConnector(connector);
        ResourceHandler files = new ResourceHandler();
        files.setBaseResource(ResourceFactory.of(server).newResource(directory));
        server.setHandler(files);
    }

    static PageOrigin serve(Path directory) throws Exception {
        PageOrigin origin = new PageOrigin(directory);
        origin.server.start();
        return origin;
    }

    String url(String file) {
        return "http://127.0.0.1:" + connector.getLocalPort() + "/" + file;
    }

    @Override
    public void close() throws Exception {
        server.stop();
    }
}
