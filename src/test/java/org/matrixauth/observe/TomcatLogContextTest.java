package org.matrixauth.observe;

import jakarta.servlet.Filter;
import jakarta.servlet.http.HttpServlet;
import java.nio.file.Files;
import org.apache.catalina.Context;
import org.apache.catalina.Wrapper;
import org.apache.catalina.startup.Tomcat;
import org.apache.tomcat.util.descriptor.web.FilterDef;
import org.apache.tomcat.util.descriptor.web.FilterMap;
import org.matrixauth.servlet.MatrixAuthFilter;

/** OBS-1 on embedded Tomcat. */
class TomcatLogContextTest extends LogContextContract {
    private Tomcat tomcat;

    @Override
    int start(Filter inFront, MatrixAuthFilter filter, HttpServlet servlet) throws Exception {
        tomcat = new Tomcat();
        tomcat.setBaseDir(dir.toString());
        tomcat.setPort(0);
        Context context = tomcat.addContext("", Files.createDirectories(dir.resolve("root")).toString());
        addFilter(context, "in-front", inFront);
        addFilter(context, "matrix-auth", filter);
        Wrapper wrapper = Tomcat.addServlet(context, "mdc", servlet);
        wrapper.setAsyncSupported(true);
        context.addServletMappingDecoded("/*", "mdc");
        tomcat.start();
        return tomcat.getConnector().getLocalPort();
    }

    /** On every path, after those added before it, async-capable. */
    private static void addFilter(Context context, String name, Filter filter) {
        FilterDef definition = new FilterDef();
        definition.setFilterName(name);
        definition.setFilter(filter);
        definition.setFilterClass(filter.getClass().getName());
        definition.setAsyncSupported("true");
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
