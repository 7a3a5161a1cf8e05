package org.matrixauth.observe;

import io.opentelemetry.api.common.AttributeKey;
import io.opentelemetry.api.trace.Span;
import org.matrixauth.auth.Requester;

/**
 * OBS-2 on OpenTelemetry's current span (the server span that instrumentation, the Java agent's
 * or the application's, made current around the request). Only a span that records is written
 * to: without a trace, or when it was sampled out, this costs one thread-local read. Only
 * {@link RequestSpans#forClasspath()} refers to this class, after finding the API.
 */
final class OpenTelemetrySpans implements RequestSpans {
    /** OpenTelemetry's semantic convention for the user a request is made by. */
    static final AttributeKey<String> USER_ID = AttributeKey.stringKey("enduser.id");
    static final AttributeKey<String> DEVICE_ID = AttributeKey.stringKey("matrix.device_id");
    static final AttributeKey<String> APPSERVICE_ID = AttributeKey.stringKey("matrix.appservice_id");
    static final AttributeKey<String> AUTHENTICATED_ENTITY = AttributeKey.stringKey("matrix.authenticated_entity");
    /** "authenticated", or the errcode of the refusal: the outcome label of {@code matrix_auth_requests} too. */
    static final AttributeKey<String> OUTCOME = AttributeKey.stringKey("matrix.auth.outcome");
    static final String AUTHENTICATED = "authenticated";

    @Override
    public void authenticated(Requester requester) {
        Span span = Span.current();
        if (!span.isRecording()) {
            return;
        }
        span.setAttribute(OUTCOME, AUTHENTICATED);
        span.setAttribute(USER_ID, requester.userId());
        setIfPresent(span, DEVICE_ID, requester.deviceId());
        setIfPresent(span, APPSERVICE_ID, requester.isAppService() ? requester.appService().id() : null);
        setIfPresent(span, AUTHENTICATED_ENTITY, ActingAs.actorOtherThanUser(requester));
    }

    @Override
    public void refused(String errcode) {
        Span span = Span.current();
        if (span.isRecording()) {
            span.setAttribute(OUTCOME, errcode);
        }
    }

    private static void setIfPresent(Span span, AttributeKey<String> key, String value) {
        if (value != null) {
            span.setAttribute(key, value);
        }
    }
}
