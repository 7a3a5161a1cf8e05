package org.matrixauth.servlet;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.mockito.Mockito.mock;
import static org.mockito.Mockito.when;

import jakarta.servlet.FilterConfig;
import jakarta.servlet.ServletContext;
import jakarta.servlet.ServletException;
import java.util.Collections;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.matrixauth.testing.H2Databases;

/** Start-up from web.xml init-params: a bad setting stops the filter and names the key. */
class FilterInitTest {
    private static FilterConfig initParams(Map<String, String> params) {
        FilterConfig config = mock(FilterConfig.class);
        ServletContext context = mock(ServletContext.class);
        when(context.getInitParameterNames()).thenReturn(Collections.emptyEnumeration());
        when(config.getServletContext()).thenReturn(context);
        when(config.getInitParameterNames()).thenReturn(Collections.enumeration(params.keySet()));
        params.forEach((name, value) -> when(config.getInitParameter(name)).thenReturn(value));
        return config;
    }

    private static String initFailure(Map<String, String> params) {
        ServletException e = assertThrows(ServletException.class, () -> new MatrixAuthFilter().init(initParams(params)));
        return e.getMessage();
    }

    @Test
    void badKeyIsNamed() {
        assertEquals("matrix-auth-filter: configuration key 'allow_access_token_query' must be true or false, not 'sometimes'",
                initFailure(Map.of("server_name", "test", "database", H2Databases.uniqueUrl(),
                        "allow_access_token_query", "sometimes")));
    }

    @Test
    void badRouteLineIsNamed() {
        assertEquals("matrix-auth-filter: init-param 'routes' line 2: unknown flag 'guests' "
                        + "(known: public optional mas undelegated guest expired locked admin blocking)",
                initFailure(Map.of("server_name", "test", "database", H2Databases.uniqueUrl(),
                        "routes", "/a public\n/b guests")));
    }

    @Test
    void badRegistrationFileIsNamed() {
        assertEquals("matrix-auth-filter: app_service_config_files: cannot read /nonexistent/irc.yaml: "
                        + "/nonexistent/irc.yaml (No such file or directory)",
                initFailure(Map.of("server_name", "test", "database", H2Databases.uniqueUrl(),
                        "app_service_config_files", "/nonexistent/irc.yaml")));
    }

    @Test
    void unreachableDatabaseIsNamed() {
        String message = initFailure(Map.of("server_name", "test",
                "database", "jdbc:postgresql://127.0.0.1:1/synapse?user=synapse&password=hunter2&connectTimeout=2"));
        assertTrue(message.startsWith("matrix-auth-filter: configuration key 'database': cannot use "), message);
        assertFalse(message.contains("hunter2"), message);
    }
}
