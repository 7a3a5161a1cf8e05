package org.matrixauth.observe;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.ObjectMapper;
import jakarta.servlet.AsyncContext;
import jakarta.servlet.Filter;
import jakarta.servlet.FilterChain;
import jakarta.servlet.ServletException;
import jakarta.servlet.ServletRequest;
import jakarta.servlet.ServletResponse;
import jakarta.servlet.http.HttpServlet;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.matrixauth.servlet.MatrixAuthFilter;
import org.matrixauth.testing.RawHttp;
import org.matrixauth.testing.RunningServer;
import org.matrixauth.testing.ServletContainer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.slf4j.MDC;

/**
 * OBS-1 through the real filter in a container, on H2 and PostgreSQL: the servlet behind it sees
 * the requester in the MDC; the container's own MDC (a filter in front puts a request id, and a
 * value under one of the filter's keys) is as it was once the filter returns, whether the servlet
 * returned, threw or went async. A subclass runs one container.
 */
abstract class LogContextContract extends RequestersTestCase {
    private static final ObjectMapper JSON = new ObjectMapper();
    /** What the front filter puts before the chain: a key of its own, and one of the filter's. */
    private static final Map<String, String> CONTAINERS_OWN = Map.of("request_id", "GET-42", LogContext.DEVICE_ID, "outer");

    private RunningServer server;
    private int port;
    /** The MDC of the request's thread once the filter has returned, request by request. */
    private final BlockingQueue<Map<String, String>> afterTheFilter = new ArrayBlockingQueue<>(16);

    /** The container this runs on. */
    abstract ServletContainer container();

    @BeforeEach
    void startContainer() throws Exception {
        server = container().start(dir, List.of(new ContainersMdc(), new MatrixAuthFilter(auth, Requesters.ROUTES)),
                new MdcServlet());
        port = server.port();
    }

    @AfterEach
    void stopContainer() {
        server.close();
    }

    private Map<String, Object> seenByTheServlet(String target, String token) throws Exception {
        RawHttp.Response response = Requesters.get(port, target, token);
        assertEquals(200, response.status(), response.body());
        @SuppressWarnings("unchecked")
        Map<String, Object> mdc = JSON.readValue(response.body(), Map.class);
        return mdc;
    }

    private void assertContainersOwnRestored() throws InterruptedException {
        Map<String, String> after = afterTheFilter.poll(5, TimeUnit.SECONDS);
        assertNotNull(after, "the front filter saw the request end");
        assertEquals(CONTAINERS_OWN, after, "what was there before, and nothing of the requester");
    }

    @Test
    @DisplayName("OBS-1: a user's token puts the user and device in the MDC, no authenticated entity, never the token")
    void obs1UserAndDevice() throws Exception {
        Map<String, Object> seen = seenByTheServlet(Requesters.WHOAMI, Requesters.ALICE_TOKEN);
        assertEquals(Map.of("request_id", "GET-42", LogContext.USER_ID, "@alice:test", LogContext.DEVICE_ID, "ALICEDEV"),
                seen);
        assertContainersOwnRestored();
    }

    @Test
    @DisplayName("OBS-1: a puppet token shows the admin as the authenticated entity")
    void obs1PuppetToken() throws Exception {
        Map<String, Object> seen = seenByTheServlet(Requesters.WHOAMI, Requesters.PUPPET_TOKEN);
        assertEquals("@bob:test", seen.get(LogContext.USER_ID));
        assertEquals("PUPPETDEV", seen.get(LogContext.DEVICE_ID));
        assertEquals("@admin:test", seen.get(LogContext.AUTHENTICATED_ENTITY));
        assertContainersOwnRestored();
    }

    @Test
    @DisplayName("OBS-1: an appservice masquerading as a user, and as a device, shows the appservice and its sender")
    void obs1AppserviceMasquerade() throws Exception {
        assertEquals(Map.of("request_id", "GET-42", LogContext.USER_ID, "@_irc_carol:test", LogContext.APPSERVICE_ID, "irc",
                LogContext.AUTHENTICATED_ENTITY, "@_irc_bot:test"), seenByTheServlet(Requesters.AS_CAROL, Requesters.APPSERVICE_TOKEN));
        assertContainersOwnRestored();
        Map<String, Object> device = seenByTheServlet(Requesters.AS_DAVE_ON_HIS_DEVICE, Requesters.APPSERVICE_TOKEN);
        assertEquals("@_irc_dave:test", device.get(LogContext.USER_ID));
        assertEquals("DAVEDEV", device.get(LogContext.DEVICE_ID));
        assertContainersOwnRestored();
        Map<String, Object> sender = seenByTheServlet(Requesters.WHOAMI, Requesters.APPSERVICE_TOKEN);
        assertEquals(Map.of("request_id", "GET-42", LogContext.USER_ID, "@_irc_bot:test", LogContext.APPSERVICE_ID, "irc"),
                sender, "the sender acting as itself: no other entity");
        assertContainersOwnRestored();
        assertTrue(Requesters.TOKENS.stream().noneMatch(token -> (device.toString() + sender).contains(token)));
    }

    @Test
    @DisplayName("OBS-1: the MDC is put back when the servlet throws")
    void obs1RestoredWhenTheServletThrows() throws Exception {
        RawHttp.Response response = Requesters.get(port, Requesters.WHOAMI + "?throw", Requesters.ALICE_TOKEN);
        assertEquals(500, response.status());
        assertContainersOwnRestored();
    }

    @Test
    @DisplayName("OBS-1: a request that goes async leaves nothing of the requester on the container's thread")
    void obs1RestoredWhenTheRequestGoesAsync() throws Exception {
        seenByTheServlet(Requesters.WHOAMI + "?async", Requesters.ALICE_TOKEN); // the continuation's thread is the application's
        assertContainersOwnRestored();
    }

    @Test
    @DisplayName("OBS-1: a refused request puts nothing in the MDC")
    void obs1RefusedRequest() throws Exception {
        assertEquals(401, Requesters.get(port, Requesters.WHOAMI, "unknown_tok").status());
        assertContainersOwnRestored();
    }

    /** As a container's own filter in front: its MDC values, and what the MDC is once the chain returned. */
    private final class ContainersMdc implements Filter {
        @Override
        public void doFilter(ServletRequest request, ServletResponse response, FilterChain chain)
                throws IOException, ServletException {
            CONTAINERS_OWN.forEach(MDC::put);
            try {
                chain.doFilter(request, response);
            } finally {
                afterTheFilter.add(new TreeMap<>(MDC.getCopyOfContextMap()));
                MDC.clear();
            }
        }
    }

    /** Answers its thread's MDC as JSON, after logging a line; {@code ?throw} throws, {@code ?async} answers from another thread. */
    private static final class MdcServlet extends HttpServlet {
        private static final Logger LOG = LoggerFactory.getLogger(MdcServlet.class);

        @Override
        protected void service(HttpServletRequest request, HttpServletResponse response) throws IOException, ServletException {
            LOG.info("Serving {} for {}", request.getRequestURI(), MDC.get(LogContext.USER_ID));
            if ("throw".equals(request.getQueryString())) {
                throw new ServletException("the servlet failed");
            }
            if ("async".equals(request.getQueryString())) {
                AsyncContext async = request.startAsync();
                async.start(() -> {
                    answer((HttpServletResponse) async.getResponse());
                    async.complete();
                });
                return;
            }
            answer(response);
        }

        private static void answer(HttpServletResponse response) {
            Map<String, String> mdc = MDC.getCopyOfContextMap();
            try {
                response.setContentType("application/json");
                JSON.writeValue(response.getOutputStream(), mdc == null ? Map.of() : mdc);
            } catch (IOException e) {
                throw new IllegalStateException(e);
            }
        }
    }
}
