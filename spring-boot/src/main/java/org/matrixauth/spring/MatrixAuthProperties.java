package org.matrixauth.spring;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.springframework.boot.context.properties.ConfigurationProperties;

/**
 * {@code matrix.auth.*}: where the filter's Synapse configuration comes from, its route rules, and
 * how it sits in the application.
 */
@ConfigurationProperties("matrix.auth")
public class MatrixAuthProperties {
    /**
     * Before Spring Security's {@code FilterChainProxy} (its {@code SecurityFilterProperties.DEFAULT_FILTER_ORDER},
     * -100), so that its rules see the Matrix requester as the request's {@code Authentication}.
     */
    public static final int DEFAULT_FILTER_ORDER = -110;

    /** A homeserver.yaml-style file with Synapse's keys (the filter's {@code config_file}). */
    private String configFile;

    /**
     * Synapse's keys, nested as homeserver.yaml writes them ({@code server_name}, {@code database.args.host});
     * they override the file. Lists of strings are given as YAML lists; lists of mappings belong in the file.
     */
    private Map<String, String> config = new LinkedHashMap<>();

    /** The route rules, one line each (the filter's {@code routes}); the first that matches a request wins. */
    private List<String> routes = new ArrayList<>();

    /**
     * Whether the application's own {@code DataSource}, when there is one, holds Synapse's tables, so that the
     * application and the filter share one pool; otherwise the filter opens its own from the {@code database} key.
     */
    private boolean useApplicationDataSource = true;

    /** The filter's place among the servlet filters. */
    private int filterOrder = DEFAULT_FILTER_ORDER;

    public String getConfigFile() {
        return configFile;
    }

    public void setConfigFile(String configFile) {
        this.configFile = configFile;
    }

    public Map<String, String> getConfig() {
        return config;
    }

    public void setConfig(Map<String, String> config) {
        this.config = config;
    }

    public List<String> getRoutes() {
        return routes;
    }

    public void setRoutes(List<String> routes) {
        this.routes = routes;
    }

    public boolean isUseApplicationDataSource() {
        return useApplicationDataSource;
    }

    public void setUseApplicationDataSource(boolean useApplicationDataSource) {
        this.useApplicationDataSource = useApplicationDataSource;
    }

    public int getFilterOrder() {
        return filterOrder;
    }

    public void setFilterOrder(int filterOrder) {
        this.filterOrder = filterOrder;
    }
}
