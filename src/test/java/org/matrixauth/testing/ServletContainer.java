package org.matrixauth.testing;

import jakarta.servlet.Filter;
import jakarta.servlet.Servlet;
import java.nio.file.Path;
import java.util.List;

/**
 * The containers a test runs alike: the test's filters in this order (a container's own filter or
 * instrumentation in front of the real filter, say) before its servlet, on every path, async-capable.
 */
public enum ServletContainer {
    JETTY {
        @Override
        public RunningServer start(Path workDir, List<Filter> filters, Servlet servlet) throws Exception {
            return new FilterServer().context("/", filters, servlet).start();
        }
    },
    TOMCAT {
        @Override
        public RunningServer start(Path workDir, List<Filter> filters, Servlet servlet) throws Exception {
            TomcatServer tomcat = new TomcatServer(workDir);
            filters.forEach(tomcat::filter);
            return tomcat.servlet(servlet).start();
        }
    };

    /** Started, the container's working files (where it has any) under {@code workDir}. */
    public abstract RunningServer start(Path workDir, List<Filter> filters, Servlet servlet) throws Exception;
}
