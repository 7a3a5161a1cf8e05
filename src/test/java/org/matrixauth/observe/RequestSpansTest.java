package org.matrixauth.observe;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

import io.opentelemetry.api.common.AttributeKey;
import io.opentelemetry.api.common.Attributes;
import io.opentelemetry.api.trace.Span;
import io.opentelemetry.api.trace.SpanKind;
import io.opentelemetry.api.trace.Tracer;
import io.opentelemetry.context.Scope;
import io.opentelemetry.sdk.testing.exporter.InMemorySpanExporter;
import io.opentelemetry.sdk.trace.SdkTracerProvider;
import io.opentelemetry.sdk.trace.data.SpanData;
import io.opentelemetry.sdk.trace.export.SimpleSpanProcessor;
import jakarta.servlet.Filter;
import jakarta.servlet.FilterChain;
import jakarta.servlet.ServletException;
import jakarta.servlet.ServletRequest;
import jakarta.servlet.ServletResponse;
import java.io.IOException;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.Parameter;
import org.junit.jupiter.params.ParameterizedClass;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import org.matrixauth.MatrixAuth;
import org.matrixauth.servlet.MatrixAuthFilter;
import org.matrixauth.testing.DatabaseExtension;
import org.matrixauth.testing.DatabaseKind;
import org.matrixauth.testing.RunningServer;
import org.matrixauth.testing.ServletContainer;
import org.matrixauth.testing.WhoamiTestServlet;

/**
 * OBS-2 with the real OpenTelemetry SDK: a filter in front makes a server span current around
 * the request, as instrumentation does; through the real filter on Jetty and on Tomcat, on H2 and
 * PostgreSQL, the span exported when the request ends carries the requester and the outcome. The
 * attribute names are spelled out: they are what operators query.
 */
@ParameterizedClass(name = "{0} on {1}")
@MethodSource("containersAndDatabases")
class RequestSpansTest {
    @Parameter(0)
    ServletContainer container;

    @Parameter(1)
    DatabaseKind kind;

    @RegisterExtension
    final DatabaseExtension db = DatabaseExtension.of(() -> kind);

    @TempDir
    Path dir;

    static Stream<Arguments> containersAndDatabases() {
        return Stream.of(ServletContainer.values()).flatMap(container ->
                Stream.of(DatabaseKind.H2, DatabaseKind.POSTGRESQL).map(kind -> Arguments.of(container, kind)));
    }

    private final InMemorySpanExporter exported = InMemorySpanExporter.create();
    private final SdkTracerProvider tracing =
            SdkTracerProvider.builder().addSpanProcessor(SimpleSpanProcessor.create(exported)).build();
    private MatrixAuth auth;
    private RunningServer server;

    @BeforeEach
    void start() throws Exception {
        auth = Requesters.start(db, dir);
        server = container.start(dir, List.of(new ServerSpans(tracing.get("test")), new MatrixAuthFilter(auth, Requesters.ROUTES)),
                new WhoamiTestServlet());
    }

    @AfterEach
    void stop() {
        server.close();
        auth.close();
        tracing.close();
    }

    /** The one span of this request, once it has ended. */
    private Attributes spanOf(String target, String token, int status) throws Exception {
        exported.reset();
        assertEquals(status, Requesters.get(server.port(), target, token).status());
        for (int wait = 0; exported.getFinishedSpanItems().isEmpty() && wait < 100; wait++) {
            Thread.sleep(20); // the front filter ends the span after the response may have been sent
        }
        List<SpanData> spans = exported.getFinishedSpanItems();
        assertEquals(1, spans.size(), spans.toString());
        assertEquals(SpanKind.SERVER, spans.get(0).getKind());
        return spans.get(0).getAttributes();
    }

    private static String attribute(Attributes attributes, String name) {
        return attributes.get(AttributeKey.stringKey(name));
    }

    @Test
    @DisplayName("OBS-2: a user's request: enduser.id, the device and the outcome on the server span")
    void obs2User() throws Exception {
        Attributes span = spanOf(Requesters.WHOAMI, Requesters.ALICE_TOKEN, 200);
        assertEquals("authenticated", attribute(span, "matrix.auth.outcome"));
        assertEquals("@alice:test", attribute(span, "enduser.id"));
        assertEquals("ALICEDEV", attribute(span, "matrix.device_id"));
        assertNull(attribute(span, "matrix.authenticated_entity"));
        assertNull(attribute(span, "matrix.appservice_id"));
    }

    @Test
    @DisplayName("OBS-2: a puppet token and an appservice masquerade name who authenticated")
    void obs2ActingAsSomeoneElse() throws Exception {
        Attributes puppet = spanOf(Requesters.WHOAMI, Requesters.PUPPET_TOKEN, 200);
        assertEquals("@bob:test", attribute(puppet, "enduser.id"));
        assertEquals("@admin:test", attribute(puppet, "matrix.authenticated_entity"));

        Attributes masquerade = spanOf(Requesters.AS_DAVE_ON_HIS_DEVICE, Requesters.APPSERVICE_TOKEN, 200);
        assertEquals("@_irc_dave:test", attribute(masquerade, "enduser.id"));
        assertEquals("DAVEDEV", attribute(masquerade, "matrix.device_id"));
        assertEquals("irc", attribute(masquerade, "matrix.appservice_id"));
        assertEquals("@_irc_bot:test", attribute(masquerade, "matrix.authenticated_entity"));
        assertEquals("authenticated", attribute(masquerade, "matrix.auth.outcome"));
    }

    @Test
    @DisplayName("OBS-2: a refused request has the errcode as its outcome and no requester")
    void obs2Refused() throws Exception {
        Attributes unknown = spanOf(Requesters.WHOAMI, "unknown_tok", 401);
        assertEquals("M_UNKNOWN_TOKEN", attribute(unknown, "matrix.auth.outcome"));
        assertNull(attribute(unknown, "enduser.id"));
        Attributes forbidden = spanOf(Requesters.WHOAMI + "?user_id=@someone_else:test", Requesters.APPSERVICE_TOKEN, 403);
        assertEquals("M_FORBIDDEN", attribute(forbidden, "matrix.auth.outcome"));
    }

    /** As instrumentation does: a server span, current while the rest of the chain runs. */
    private record ServerSpans(Tracer tracer) implements Filter {
        @Override
        public void doFilter(ServletRequest request, ServletResponse response, FilterChain chain)
                throws IOException, ServletException {
            Span span = tracer.spanBuilder("GET /whoami").setSpanKind(SpanKind.SERVER).startSpan();
            try (Scope current = span.makeCurrent()) {
                chain.doFilter(request, response);
            } finally {
                span.end();
            }
        }
    }
}
