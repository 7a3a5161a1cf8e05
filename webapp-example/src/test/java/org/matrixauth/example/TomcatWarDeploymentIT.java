package org.matrixauth.example;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;


import java.lang.ref.WeakReference;
import java.net.Socket;
import java.net.URI;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.logging.Handler;
import java.util.logging.LogRecord;
import java.util.logging.Logger;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.stream.Collectors;
import org.apache.catalina.Context;
import org.apache.catalina.LifecycleState;
import org.apache.catalina.startup.Tomcat;
import org.apache.tomcat.util.scan.StandardJarScanner;
import org.junit.jupiter.api.Test;

/**
 * The built war on embedded Tomcat 11, deployed as Tomcat deploys a war: unpacked into the host's
 * appBase, with a context file holding the deployer's {@code <Parameter>}s (what
 * {@code conf/Catalina/localhost/ROOT.xml} holds in a Tomcat installation).
 */
class TomcatWarDeploymentIT extends DeployedWarContract {
    @Override
    ContainerEdgeCases.Container container() {
        return ContainerEdgeCases.Container.TOMCAT;
    }

    /**
     * Tomcat still speaks HTTP/0.9: a request line without a version is served, and answered with
     * the body alone, no status line and no headers (Jetty answers 505). Such a request carries no
     * header, so only a query token authenticates it, and the filter handles it as any other.
     */
    @Test
    void anHttp09RequestIsServedAndAnsweredWithTheBodyAlone() throws Exception {
        try (Socket socket = new Socket("127.0.0.1", deployment.port())) {
            socket.setSoTimeout(10_000);
            socket.getOutputStream().write("GET /_matrix/client/v3/account/whoami?access_token=alice_token\r\n"
                    .getBytes(StandardCharsets.US_ASCII));
            String answer = new String(socket.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            assertEquals("{\"user_id\":\"@alice:example.test\",\"device_id\":\"ALICEDEV\",\"is_guest\":false,"
                    + "\"org.matrix.msc3069.is_guest\":false}", answer);
        }
    }

    /**
     * Undeploying leaves nothing of the war behind: after requests and an undeploy, Tomcat's leak
     * detection names no thread, no thread runs with the war's class loader as its context loader,
     * and the class loader, so every class of the war, is collected. (The class's own deployment
     * stays up meanwhile, on another Tomcat in this JVM, as a second application would.)
     */
    @Test
    void undeployingLeavesNoThreadAndNoReferenceToTheWarsClassLoader() throws Exception {
        Tomcat tomcat = new Tomcat();
        Path workDir = dir.resolve("leak");
        tomcat.setBaseDir(workDir.toString());
        tomcat.setPort(0);
        tomcat.getHost().setAppBase(Files.createDirectories(workDir.resolve("webapps")).toString());
        try {
            WeakReference<ClassLoader> loader = deployUseAndUndeploy(tomcat, workDir);
            int collections = collectionsUntilCleared(loader, MAX_COLLECTIONS);
            assertTrue(collections <= MAX_COLLECTIONS, "the war's class loader is still referenced after " + MAX_COLLECTIONS + " collections");
            System.out.println("The undeployed war's class loader was collected after " + collections + " collection(s)");
        } finally {
            tomcat.stop();
            tomcat.destroy();
        }
    }

    /** A few full collections clear a weak reference to an unreachable class loader; a reachable one stays at any number. */
    private static final int MAX_COLLECTIONS = 30;

    /** How many {@code System.gc()} calls cleared {@code reference}: at most {@code max}, or {@code max + 1} if none did. */
    private static int collectionsUntilCleared(WeakReference<?> reference, int max) throws InterruptedException {
        for (int collections = 1; collections <= max; collections++) {
            System.gc();
            if (reference.get() == null) {
                return collections;
            }
            Thread.sleep(50); // lets the reference handler and finalizers run between collections
        }
        return max + 1;
    }

    /**
     * Deploys, makes requests, undeploys: Tomcat's leak detection and the JVM's threads show none of
     * the war's left. Returns the war's class loader weakly, so that this method's frame holds it no longer.
     */
    private static WeakReference<ClassLoader> deployUseAndUndeploy(Tomcat tomcat, Path workDir) throws Exception {
        Context context = tomcat.addWebapp("", WAR.toString());
        context.setConfigFile(contextFile(workDir, Map.of("matrix_auth.database", "jdbc:h2:mem:leak;DB_CLOSE_DELAY=-1",
                "matrix_auth.server_name", "example.test")).toUri().toURL());
        StandardJarScanner jars = new StandardJarScanner();
        jars.setScanClassPath(false);
        context.setJarScanner(jars);
        tomcat.start();
        assertEquals(LifecycleState.STARTED, context.getState());
        String base = "http://127.0.0.1:" + tomcat.getConnector().getLocalPort();
        for (String path : List.of("/_matrix/client/versions", "/_matrix/client/v3/account/whoami?access_token=unknown",
                "/_synapse/metrics", "/_matrix/client/v3/nothing")) {
            HTTP.send(HttpRequest.newBuilder(URI.create(base + path)).build(), HttpResponse.BodyHandlers.discarding());
        }
        ClassLoader loader = context.getLoader().getClassLoader();
        // Tomcat's own leak detection, which names every thread the war started and left running.
        List<String> tomcatWarnings = new CopyOnWriteArrayList<>();
        Logger detection = Logger.getLogger("org.apache.catalina.loader.WebappClassLoaderBase");
        Handler warnings = new Handler() {
            @Override
            public void publish(LogRecord record) {
                tomcatWarnings.add(java.text.MessageFormat.format(record.getMessage(),
                        record.getParameters() == null ? new Object[0] : record.getParameters()));
            }

            @Override
            public void flush() {}

            @Override
            public void close() {}
        };
        detection.addHandler(warnings);
        try {
            tomcat.getHost().removeChild(context);
        } finally {
            detection.removeHandler(warnings);
        }
        // Tomcat looks (by context class loader) the moment the context stops, when a pool thread an
        // awaited shutdown has just let go (HikariCP's connection closer) may not have exited yet: what
        // still runs a moment later is a leak; its warnings are shown with it.
        List<String> left = threadsStillRunning(loader, Duration.ofSeconds(2));
        assertEquals(List.of(), left, "threads left running by the undeployed war: " + tomcatWarnings);
        return new WeakReference<>(loader);
    }

    /** The threads whose context class loader is the war's still alive after the grace period. */
    private static List<String> threadsStillRunning(ClassLoader loader, Duration grace) throws InterruptedException {
        long deadline = System.nanoTime() + grace.toNanos();
        while (true) {
            List<String> left = Thread.getAllStackTraces().keySet().stream()
                    .filter(thread -> thread.getContextClassLoader() == loader)
                    .map(Thread::getName).toList();
            if (left.isEmpty() || System.nanoTime() > deadline) {
                return left;
            }
            Thread.sleep(20);
        }
    }

    @Override
    Deployment deploy(Path workDir, Map<String, String> contextParameters) throws Exception {
        Tomcat tomcat = new Tomcat();
        tomcat.setBaseDir(workDir.toString());
        tomcat.setPort(0);
        tomcat.getHost().setAppBase(Files.createDirectories(workDir.resolve("webapps")).toString());
        Context context = tomcat.addWebapp("", WAR.toString());
        context.setConfigFile(contextFile(workDir, contextParameters).toUri().toURL());
        // A Tomcat installation's class path is its own lib/, not this test's: scanning that for TLDs
        // and fragments would find nothing the war uses, and takes seconds.
        StandardJarScanner jars = new StandardJarScanner();
        jars.setScanClassPath(false);
        context.setJarScanner(jars);
        tomcat.start();
        if (context.getState() != LifecycleState.STARTED) {
            tomcat.stop();
            tomcat.destroy();
            throw new NotStarted();
        }
        assertTrue(Files.isRegularFile(workDir.resolve("webapps/ROOT/WEB-INF/homeserver.yaml")), "the war is unpacked");
        return new Deployment() {
            @Override
            public int port() {
                return tomcat.getConnector().getLocalPort();
            }

            @Override
            public void undeploy() {
                tomcat.getHost().removeChild(context); // stops and destroys the context
            }

            @Override
            public void close() throws Exception {
                tomcat.stop();
                tomcat.destroy();
            }
        };
    }

    /** The deployer's context file: each context parameter a {@code <Parameter>}. */
    private static Path contextFile(Path workDir, Map<String, String> contextParameters) throws Exception {
        String parameters = contextParameters.entrySet().stream()
                .map(p -> "  <Parameter name=\"%s\" value=\"%s\" override=\"false\"/>".formatted(xml(p.getKey()), xml(p.getValue())))
                .collect(Collectors.joining("\n"));
        return Files.writeString(workDir.resolve("ROOT.xml"), "<Context>\n" + parameters + "\n</Context>\n");
    }

    private static String xml(String text) {
        // A line break as a reference: a literal one in an attribute is read as a space.
        return text.replace("&", "&amp;").replace("<", "&lt;").replace("\"", "&quot;").replace("\n", "&#10;");
    }
}
