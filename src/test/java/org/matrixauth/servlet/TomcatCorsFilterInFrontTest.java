package org.matrixauth.servlet;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import org.apache.catalina.Context;
import org.apache.catalina.filters.CorsFilter;
import org.apache.catalina.startup.Tomcat;
import org.apache.tomcat.util.descriptor.web.FilterDef;
import org.apache.tomcat.util.descriptor.web.FilterMap;
import org.junit.jupiter.api.io.TempDir;
import org.matrixauth.testing.WhoamiTestServlet;

/** Tomcat's {@link CorsFilter}, as its web.xml would declare it, mapped before {@link MatrixAuthFilter}. */
class TomcatCorsFilterInFrontTest extends CorsFilterInFrontContract {
    @TempDir
    Path dir;

    private Tomcat tomcat;

    @Override
    int start() throws Exception {
        tomcat = new Tomcat();
        tomcat.setBaseDir(dir.toString());
        tomcat.setPort(0);
        Context context = tomcat.addContext("", Files.createDirectories(dir.resolve("root")).toString());
        filter(context, "cors", CorsFilter.class.getName(), Map.of(
                "cors.allowed.origins", ORIGIN,
                "cors.support.credentials", "true",
                "cors.allowed.headers", "Authorization,Content-Type"));
        filter(context, "matrix-auth", MatrixAuthFilter.class.getName(), filterParameters());
        Tomcat.addServlet(context, "whoami", new WhoamiTestServlet());
        context.addServletMappingDecoded("/*", "whoami");
        tomcat.start();
        return tomcat.getConnector().getLocalPort();
    }

    /** A filter on every path, after those added before it: web.xml's {@code <filter>} and {@code <filter-mapping>}. */
    private static void filter(Context context, String name, String className, Map<String, String> parameters) {
        FilterDef definition = new FilterDef();
        definition.setFilterName(name);
        definition.setFilterClass(className);
        parameters.forEach(definition::addInitParameter);
        context.addFilterDef(definition);
        FilterMap mapping = new FilterMap();
        mapping.setFilterName(name);
        mapping.addURLPattern("/*");
        context.addFilterMap(mapping);
    }

    @Override
    void stop() throws Exception {
        tomcat.stop();
        tomcat.destroy();
    }
}
