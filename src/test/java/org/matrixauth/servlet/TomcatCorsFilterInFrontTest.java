package org.matrixauth.servlet;

import java.nio.file.Path;
import java.util.Map;
import org.apache.catalina.filters.CorsFilter;
import org.junit.jupiter.api.io.TempDir;
import org.matrixauth.testing.TomcatServer;
import org.matrixauth.testing.WhoamiTestServlet;

/** Tomcat's {@link CorsFilter}, as its web.xml would declare it, mapped before {@link MatrixAuthFilter}. */
class TomcatCorsFilterInFrontTest extends CorsFilterInFrontContract {
    @TempDir
    Path dir;

    private TomcatServer tomcat;

    @Override
    int start() throws Exception {
        tomcat = new TomcatServer(dir)
                .filter(CorsFilter.class.getName(), Map.of(
                        "cors.allowed.origins", ORIGIN,
                        "cors.support.credentials", "true",
                        "cors.allowed.headers", "Authorization,Content-Type"))
                .filter(MatrixAuthFilter.class.getName(), filterParameters())
                .servlet(new WhoamiTestServlet())
                .start();
        return tomcat.port();
    }

    @Override
    void stop() {
        tomcat.close();
    }
}
