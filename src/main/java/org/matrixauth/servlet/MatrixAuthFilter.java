package org.matrixauth.servlet;

import jakarta.servlet.Filter;
import jakarta.servlet.FilterChain;
import jakarta.servlet.FilterConfig;
import jakarta.servlet.ServletContext;
import jakarta.servlet.ServletException;
import jakarta.servlet.ServletRequest;
import jakarta.servlet.ServletResponse;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.util.Collections;
import java.util.HashMap;
import java.util.Map;
import org.matrixauth.MatrixAuth;
import org.matrixauth.api.PublicApi;
import org.matrixauth.auth.Authentication;
import org.matrixauth.auth.ClientRequest;
import org.matrixauth.auth.Requester;
import org.matrixauth.config.AuthConfig;
import org.matrixauth.config.ConfigException;
import org.matrixauth.error.Failures;
import org.matrixauth.error.MatrixException;
import org.matrixauth.observe.LogContext;
import org.matrixauth.observe.RequestSpans;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Synapse's request authentication in front of any servlet: extract the token, resolve the
 * requester, check the route's rule, attach the requester, go on; or answer with a Matrix
 * error. Thin on purpose: each step's rules live in their own class.
 *
 * <p>Registered in web.xml, it reads its configuration from init-params: {@code config_file}
 * (a homeserver.yaml-style file), any single key of it (which overrides the file), and
 * {@code routes} ({@link RouteRules}).
 */
@PublicApi
public class MatrixAuthFilter implements Filter {
    /** REQ-1: the request attribute that holds the {@link Requester}. */
    public static final String REQUESTER_ATTRIBUTE = "org.matrixauth.requester";
    /** The servlet-context attribute under which the filter publishes its {@link MatrixAuth}. */
    public static final String CONTEXT_ATTRIBUTE = MatrixAuth.class.getName();
    /** Servlet-context init-params with this prefix override the filter's own. */
    public static final String CONTEXT_PARAM_PREFIX = "matrix_auth.";

    private static final Logger LOG = LoggerFactory.getLogger(MatrixAuthFilter.class);
    /** Larger bodies of refused requests are left unread (the container then closes the connection). */
    private static final long MAX_DRAINED_BODY_BYTES = 64 * 1024;

    private final MatrixErrorWriter errors = new MatrixErrorWriter();
    private final RequestSpans spans = RequestSpans.forClasspath();
    private MatrixAuth auth;
    private RouteRules routes;
    private boolean ownsAuth;
    /** The web application's class loader, whose own Prometheus scheduler is stopped on destroy. */
    private ClassLoader webApplicationLoader;

    /** For web.xml: everything comes from init-params. */
    public MatrixAuthFilter() {}

    /** For code that builds its own {@link MatrixAuth} (and closes it). */
    public MatrixAuthFilter(MatrixAuth auth, RouteRules routes) {
        this.auth = auth;
        this.routes = routes;
    }

    @Override
    public void init(FilterConfig filterConfig) throws ServletException {
        if (auth == null) {
            auth = start(filterConfig);
            ownsAuth = true;
        }
        filterConfig.getServletContext().setAttribute(CONTEXT_ATTRIBUTE, auth);
        webApplicationLoader = filterConfig.getServletContext().getClassLoader();
    }

    private MatrixAuth start(FilterConfig filterConfig) throws ServletException {
        Map<String, String> settings = settings(filterConfig);
        MatrixAuth started;
        try {
            routes = RouteRules.parse(settings.remove(RouteRules.INIT_PARAM));
            resolveWebAppPath(settings, filterConfig.getServletContext());
            started = MatrixAuth.builder(AuthConfig.load(settings)).start();
        } catch (ConfigException e) {
            throw new ServletException("matrix-auth-filter: " + e.getMessage(), e);
        }
        return started;
    }

    /**
     * The filter's init-params, overridden by servlet-context init-params named
     * {@value #CONTEXT_PARAM_PREFIX}{@code <key>}: a deployer sets those in the container (Tomcat's
     * context.xml, Jetty's context XML) without rebuilding the war.
     */
    private static Map<String, String> settings(FilterConfig filterConfig) {
        Map<String, String> settings = new HashMap<>();
        for (String name : Collections.list(filterConfig.getInitParameterNames())) {
            settings.put(name, filterConfig.getInitParameter(name));
        }
        ServletContext context = filterConfig.getServletContext();
        for (String name : Collections.list(context.getInitParameterNames())) {
            if (name.startsWith(CONTEXT_PARAM_PREFIX)) {
                settings.put(name.substring(CONTEXT_PARAM_PREFIX.length()), context.getInitParameter(name));
            }
        }
        return settings;
    }

    /** A {@code config_file} under {@code /WEB-INF/} is read from inside the web application. */
    private static void resolveWebAppPath(Map<String, String> settings, ServletContext context) {
        String file = settings.get(AuthConfig.CONFIG_FILE_KEY);
        if (file != null && file.startsWith("/WEB-INF/")) {
            String realPath = context.getRealPath(file);
            if (realPath == null) {
                throw new ConfigException("configuration key '" + AuthConfig.CONFIG_FILE_KEY + "': " + file
                        + " is not a file in this deployment (is the war unpacked?)");
            }
            settings.put(AuthConfig.CONFIG_FILE_KEY, realPath);
        }
    }

    @Override
    public void doFilter(ServletRequest servletRequest, ServletResponse servletResponse, FilterChain chain)
            throws IOException, ServletException {
        HttpServletRequest request = (HttpServletRequest) servletRequest;
        HttpServletResponse response = (HttpServletResponse) servletResponse;
        if (request.getMethod().equals("OPTIONS")) {
            chain.doFilter(request, response); // REQ-3: CORS preflight carries no token
            return;
        }
        RouteRule rule = routes.match(request.getMethod(), pathWithinContext(request));
        Requester requester;
        try {
            requester = admit(rule, request);
        } catch (MatrixException e) {
            spans.refused(e.errcode());
            refuse(request, response, e);
            return;
        }
        if (requester == null) {
            chain.doFilter(request, response);
            return;
        }
        request.setAttribute(REQUESTER_ATTRIBUTE, requester);
        spans.authenticated(requester);
        // OBS-1: put back on the way out, thrown or returned, and also when the request went async:
        // this thread goes back to the container, and a continuation elsewhere is the application's.
        LogContext before = LogContext.enter(requester);
        try {
            chain.doFilter(new AuthenticatedRequest(request, requester), response);
        } finally {
            before.restore();
        }
    }

    /**
     * The route's rule applied to the request.
     *
     * @return who is asking, or null when the request goes on without a requester: a public route,
     *     the authorization server itself (OAU-10), an anonymous request to an optional route (REQ-4)
     * @throws MatrixException when it may not go on
     */
    private Requester admit(RouteRule rule, HttpServletRequest request) {
        Authentication authentication = auth.authentication();
        if (rule.undelegatedOnly()) {
            authentication.requireUndelegated();
        }
        if (rule.access() == RouteRule.Access.PUBLIC) {
            return null;
        }
        ClientRequest client = ClientRequests.of(request, auth);
        if (rule.access() == RouteRule.Access.AUTHORIZATION_SERVER) {
            authentication.requireAuthorizationServer(client);
            return null;
        }
        if (rule.access() == RouteRule.Access.OPTIONAL && !authentication.hasAccessToken(client)) {
            return null;
        }
        return authentication.authenticate(client, rule.options());
    }

    private void refuse(HttpServletRequest request, HttpServletResponse response, MatrixException error) throws IOException {
        drainSmallBody(request);
        errors.write(response, error);
    }

    /**
     * A refused request's small body is read and dropped, as Synapse reads every body, so that the
     * client's keep-alive connection stays usable: a container closes a connection whose request
     * content was left unread, and a client that already sent its next request on it fails.
     */
    private static void drainSmallBody(HttpServletRequest request) {
        long length = request.getContentLengthLong();
        if (length > 0 && length <= MAX_DRAINED_BODY_BYTES) {
            try {
                request.getInputStream().skipNBytes(length);
            } catch (IOException | IllegalStateException e) {
                // The client went away or the body was taken already: nothing to keep open.
            }
        }
    }

    @Override
    public void destroy() {
        if (ownsAuth) {
            try {
                auth.close();
            } catch (Exception e) {
                LOG.warn("Closing matrix-auth-filter failed: {}", Failures.describe(e));
            }
            PrometheusScheduler.stopIfOwnedBy(webApplicationLoader);
            RecordMethodCaches.forgetApplicationTypes();
        }
    }

    /** The decoded, normalised path that the container routes on, below the context path. */
    private static String pathWithinContext(HttpServletRequest request) {
        String pathInfo = request.getPathInfo();
        return pathInfo == null ? request.getServletPath() : request.getServletPath() + pathInfo;
    }
}
