package org.matrixauth.example;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.Socket;
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
