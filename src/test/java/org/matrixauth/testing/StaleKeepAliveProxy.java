package org.matrixauth.testing;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.URI;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * A TCP proxy on 127.0.0.1 in front of an HTTP server that loses the race every kept-alive
 * connection can lose: once an answer has gone back on a connection, the next request on it is
 * met by the connection closing, before a byte of it is forwarded, as when a server or a proxy
 * closes an idle connection just as the client sends on it. Each connection so carries one exchange.
 */
public final class StaleKeepAliveProxy implements AutoCloseable {
    private final URI target;
    private final ServerSocket server;
    private final Set<Socket> sockets = ConcurrentHashMap.newKeySet();
    private final AtomicInteger closedOnRequest = new AtomicInteger();

    public StaleKeepAliveProxy(URI target) throws IOException {
        this.target = target;
        this.server = new ServerSocket(0, 50, InetAddress.getLoopbackAddress());
        Sockets.daemon("stale-proxy-accept", this::acceptAll);
    }

    /** The target's URI through the proxy. */
    public URI endpoint() {
        return URI.create("http://127.0.0.1:" + server.getLocalPort() + target.getRawPath());
    }

    /** Requests met by a closing connection so far. */
    public int closedOnRequest() {
        return closedOnRequest.get();
    }

    private void acceptAll() {
        while (!server.isClosed()) {
            try {
                Socket client = server.accept();
                Socket upstream = new Socket(target.getHost(), target.getPort());
                sockets.add(client);
                sockets.add(upstream);
                AtomicBoolean answered = new AtomicBoolean();
                Sockets.daemon("stale-proxy-up", () -> requests(client, upstream, answered));
                Sockets.daemon("stale-proxy-down", () -> answers(upstream, client, answered));
            } catch (IOException closed) {
                return;
            }
        }
    }

    /** Bytes of the first request go on; the first bytes read after an answer began close both sides. */
    private void requests(Socket client, Socket upstream, AtomicBoolean answered) {
        byte[] buffer = new byte[8192];
        try (InputStream in = client.getInputStream(); OutputStream out = upstream.getOutputStream()) {
            for (int read = in.read(buffer); read >= 0; read = in.read(buffer)) {
                if (answered.get()) {
                    closedOnRequest.incrementAndGet();
                    return;
                }
                out.write(buffer, 0, read);
                out.flush();
            }
        } catch (IOException e) {
            // one side went away: so does the other
        } finally {
            Sockets.closeQuietly(client);
            Sockets.closeQuietly(upstream);
        }
    }

    private void answers(Socket upstream, Socket client, AtomicBoolean answered) {
        byte[] buffer = new byte[8192];
        try (InputStream in = upstream.getInputStream(); OutputStream out = client.getOutputStream()) {
            for (int read = in.read(buffer); read >= 0; read = in.read(buffer)) {
                answered.set(true);
                out.write(buffer, 0, read);
                out.flush();
            }
        } catch (IOException e) {
            // one side went away: so does the other
        } finally {
            Sockets.closeQuietly(client);
            Sockets.closeQuietly(upstream);
        }
    }

    @Override
    public void close() throws IOException {
        server.close();
        sockets.forEach(Sockets::closeQuietly);
    }
}
