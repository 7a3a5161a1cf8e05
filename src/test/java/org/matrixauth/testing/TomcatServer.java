package org.matrixauth.testing;

import jakarta.servlet.Filter;
import jakarta.servlet.Servlet;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import org.apache.catalina.Context;
import org.apache.catalina.LifecycleException;
import org.apache.catalina.Wrapper;
import org.apache.catalina.startup.Tomcat;
import org.apache.tomcat.util.descriptor.web.FilterDef;
import org.apache.tomcat.util.descriptor.web.FilterMap;

/**
 * Embedded Tomcat on a free port with one root context: filters in the order they are added, each
 * on every path (web.xml's {@code <filter>} and {@code <filter-mapping>}), in front of one servlet
 * on every path, all async-capable. The Tomcat counterpart of {@link FilterServer}.
 */
public final class TomcatServer implements RunningServer {
    private final Tomcat tomcat = new Tomcat();
    private final Context context;
    private int filters;

    /** Tomcat's working files under {@code baseDir}. */
    public TomcatServer(Path baseDir) throws IOException {
        tomcat.setBaseDir(baseDir.toString());
        tomcat.setPort(0);
        context = tomcat.addContext("", Files.createDirectories(baseDir.resolve("root")).toString());
    }

    /** A filter the test built (and configured) itself. */
    public TomcatServer filter(Filter filter) {
        FilterDef definition = definition(filter.getClass().getName());
        definition.setFilter(filter);
        return add(definition);
    }

    /** A filter Tomcat makes and initialises from these init parameters, as from web.xml. */
    public TomcatServer filter(String className, Map<String, String> initParameters) {
        FilterDef definition = definition(className);
        initParameters.forEach(definition::addInitParameter);
        return add(definition);
    }

    private FilterDef definition(String className) {
        FilterDef definition = new FilterDef();
        definition.setFilterName("filter-" + ++filters);
        definition.setFilterClass(className);
        definition.setAsyncSupported("true");
        return definition;
    }

    private TomcatServer add(FilterDef definition) {
        context.addFilterDef(definition);
        FilterMap mapping = new FilterMap();
        mapping.setFilterName(definition.getFilterName());
        mapping.addURLPattern("/*");
        context.addFilterMap(mapping);
        return this;
    }

    public TomcatServer servlet(Servlet servlet) {
        Wrapper wrapper = Tomcat.addServlet(context, "servlet", servlet);
        wrapper.setAsyncSupported(true);
        context.addServletMappingDecoded("/*", "servlet");
        return this;
    }

    public TomcatServer start() throws LifecycleException {
        tomcat.start();
        return this;
    }

    @Override
    public int port() {
        return tomcat.getConnector().getLocalPort();
    }

    @Override
    public void close() {
        try {
            tomcat.stop();
            tomcat.destroy();
        } catch (LifecycleException e) {
            throw new IllegalStateException(e);
        }
    }
}
