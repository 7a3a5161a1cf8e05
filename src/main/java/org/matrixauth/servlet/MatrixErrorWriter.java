package org.matrixauth.servlet;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.util.LinkedHashMap;
import java.util.Map;
import org.matrixauth.api.PublicApi;
import org.matrixauth.error.MatrixException;
import org.matrixauth.json.Mappers;

/** The one place a {@link MatrixException} becomes an HTTP response (SPEC ERR-1, ERR-2, WEB-2, WEB-3). */
@PublicApi
public final class MatrixErrorWriter {
    private static final ObjectMapper JSON = Mappers.json();

    /** The error's JSON body, also for places that answer without a servlet response (a container's error handler). */
    public static byte[] body(MatrixException error) {
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("errcode", error.errcode());
        body.put("error", error.error());
        body.putAll(error.extraFields());
        try {
            return JSON.writeValueAsBytes(body);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException(e); // strings, booleans and numbers always serialise
        }
    }

    public void write(HttpServletResponse response, MatrixException error) throws IOException {
        byte[] json = body(error);

        // Only what was written so far goes: headers set earlier (a CORS filter's in front, WEB-2) stay.
        response.resetBuffer();
        response.setStatus(error.status());
        response.setContentType("application/json");
        response.setCharacterEncoding("UTF-8");
        BrowserHeaders.addCors(response);
        BrowserHeaders.addNoCache(response);
        if (error.status() == 401) {
            // RFC 6750 asks for a challenge on 401; Synapse sends none and clients ignore it.
            response.setHeader("WWW-Authenticate", "Bearer realm=\"matrix\"");
        }
        if (error.extraFields().get("retry_after_ms") instanceof Long retryAfterMs) {
            // RFC 9110's form of Synapse's retry_after_ms, for clients and proxies that read headers.
            response.setHeader("Retry-After", Long.toString((retryAfterMs + 999) / 1000));
        }
        response.setContentLength(json.length);
        response.getOutputStream().write(json);
    }
}
