package org.matrixauth.testing;

import java.io.IOException;
import java.net.Socket;

/** What the tests' TCP proxies share: threads that do not hold the JVM open, sockets closed come what may. */
final class Sockets {
    private Sockets() {}

    static void daemon(String name, Runnable task) {
        Thread thread = new Thread(task, name);
        thread.setDaemon(true);
        thread.start();
    }

    static void closeQuietly(Socket socket) {
        try {
            socket.close();
        } catch (IOException ignored) {
            // closing anyway
        }
    }
}
