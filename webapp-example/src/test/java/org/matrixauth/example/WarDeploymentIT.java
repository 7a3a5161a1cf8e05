package org.matrixauth.example;

import java.nio.file.Path;
import java.util.Map;
import org.eclipse.jetty.ee10.webapp.WebAppContext;
import org.eclipse.jetty.server.Server;
import org.eclipse.jetty.server.ServerConnector;
import org.eclipse.jetty.server.handler.ContextHandlerCollection;

/**
 * The built war on Jetty 12 (ee10), deployed with a WebAppContext, the context parameters set as
 * init parameters of that context (what Jetty's context XML sets).
 */
class WarDeploymentIT extends DeployedWarContract {
    @Override
    ContainerEdgeCases.Container container() {
        return ContainerEdgeCases.Container.JETTY;
    }

    @Override
    Deployment deploy(Path workDir, Map<String, String> contextParameters) throws Exception {
        WebAppContext webapp = new WebAppContext();
        webapp.setWar(WAR.toString());
        webapp.setContextPath("/");
        webapp.setTempDirectory(workDir.resolve("unpacked").toFile());
        contextParameters.forEach(webapp::setInitParameter);
        Server server = new Server();
        ServerConnector connector = new ServerConnector(server);
        connector.setPort(0);
        server.addConnector(connector);
        ContextHandlerCollection contexts = new ContextHandlerCollection(webapp);
        server.setHandler(contexts);
        server.start();
        if (!webapp.isAvailable()) {
            server.stop();
            throw new NotStarted();
        }
        return new Deployment() {
            @Override
            public int port() {
                return connector.getLocalPort();
            }

            @Override
            public void undeploy() throws Exception {
                contexts.removeHandler(webapp);
                webapp.stop();
            }

            @Override
            public void close() throws Exception {
                server.stop();
            }
        };
    }
}
