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
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A TCP proxy on 127.0.0.1 in front of a PostgreSQL server (or an HTTP one), which can be partitioned: it then
 * stops forwarding in both directions without closing anything, as a network that drops every
 * packet does (no reset, no error: silence). New connections are accepted, as a kernel does, and
 * answered by nothing. Bytes sent meanwhile wait, as TCP's would, until {@link #heal()}.
 */
public final class TcpProxy implements AutoCloseable {
    private static final Pattern POSTGRES_URL = Pattern.compile("jdbc:postgresql://([^/:]+):(\\d+)(/.*)");

    private final String targetHost;
    private final int targetPort;
    private final String proxiedUrl;
    private final ServerSocket server;
    private final Set<Socket> sockets = ConcurrentHashMap.newKeySet();
    private final Object gate = new Object();
    private boolean partitioned; // guarded by gate

    /** A proxy to the server of this PostgreSQL JDBC URL; {@link #jdbcUrl()} is the same URL through it. */
    public TcpProxy(String postgresUrl) throws IOException {
        Matcher url = POSTGRES_URL.matcher(postgresUrl);
        if (!url.matches()) {
            throw new IllegalArgumentException("not jdbc:postgresql://host:port/...: " + postgresUrl);
        }
        targetHost = url.group(1);
        targetPort = Integer.parseInt(url.group(2));
        server = new ServerSocket(0, 50, InetAddress.getLoopbackAddress());
        proxiedUrl = "jdbc:postgresql://127.0.0.1:" + server.getLocalPort() + url.group(3);
        Sockets.daemon("tcp-proxy-accept", this::acceptAll);
    }

    /** A proxy to an HTTP server; {@link #uri()} is the same URI through it. */
    public TcpProxy(URI http) throws IOException {
        targetHost = http.getHost();
        targetPort = http.getPort();
        server = new ServerSocket(0, 50, InetAddress.getLoopbackAddress());
        proxiedUrl = "http://127.0.0.1:" + server.getLocalPort() + http.getRawPath();
        Sockets.daemon("tcp-proxy-accept", this::acceptAll);
    }

    public String jdbcUrl() {
        return proxiedUrl;
    }

    public URI uri() {
        return URI.create(proxiedUrl);
    }

    /** From now on nothing passes, and nothing is closed. */
    public void partition() {
        synchronized (gate) {
            partitioned = true;
        }
    }

    public void heal() {
        synchronized (gate) {
            partitioned = false;
            gate.notifyAll();
        }
    }

    private void acceptAll() {
        while (!server.isClosed()) {
            try {
                Socket client = server.accept();
                sockets.add(client);
                Sockets.daemon("tcp-proxy-connect", () -> forward(client));
            } catch (IOException closed) {
                return;
            }
        }
    }

    private void forward(Socket client) {
        try {
            awaitOpen();
            Socket upstream = new Socket(targetHost, targetPort);
            sockets.add(upstream);
            Sockets.daemon("tcp-proxy-up", () -> pump(client, upstream));
            Sockets.daemon("tcp-proxy-down", () -> pump(upstream, client));
        } catch (IOException | InterruptedException e) {
            Sockets.closeQuietly(client);
        }
    }

    /** Bytes read while partitioned are held, not dropped: they go on once healed. */
    private void pump(Socket from, Socket to) {
        byte[] buffer = new byte[8192];
        try (InputStream in = from.getInputStream(); OutputStream out = to.getOutputStream()) {
            for (int read = in.read(buffer); read >= 0; read = in.read(buffer)) {
                awaitOpen();
                out.write(buffer, 0, read);
                out.flush();
            }
        } catch (IOException | InterruptedException e) {
            // one side went away: so does the other
        } finally {
            Sockets.closeQuietly(from);
            Sockets.closeQuietly(to);
        }
    }

    private void awaitOpen() throws InterruptedException {
        synchronized (gate) {
            while (partitioned) {
                gate.wait();
            }
        }
    }

    /** Closes everything; threads waiting at the partition end with their sockets. */
    @Override
    public void close() throws IOException {
        server.close();
        sockets.forEach(Sockets::closeQuietly);
        heal();
    }
}
