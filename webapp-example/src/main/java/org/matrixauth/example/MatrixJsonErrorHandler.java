package org.matrixauth.example;

import java.nio.ByteBuffer;
import org.eclipse.jetty.http.HttpFields;
import org.eclipse.jetty.http.HttpHeader;
import org.eclipse.jetty.server.Request;
import org.eclipse.jetty.server.Response;
import org.eclipse.jetty.server.handler.ErrorHandler;
import org.eclipse.jetty.util.Callback;
import org.matrixauth.servlet.BrowserHeaders;
import org.matrixauth.servlet.MatrixErrorWriter;

/**
 * Jetty's own error answers, for requests refused before the web application sees them (control
 * bytes in a header, headers over the size limit, ambiguous paths such as {@code //}), as Matrix
 * JSON instead of Jetty's HTML page, with Synapse's CORS headers. The runnable jar's counterpart of
 * web.xml's error page.
 */
final class MatrixJsonErrorHandler extends ErrorHandler {
    @Override
    protected void generateResponse(Request request, Response response, int status, String message, Throwable cause,
                                    Callback callback) {
        jsonHeaders(response.getHeaders());
        response.write(true, ByteBuffer.wrap(MatrixErrorWriter.body(ContainerErrors.forStatus(status))), callback);
    }

    @Override
    public ByteBuffer badMessageError(int status, String reason, HttpFields.Mutable fields) {
        jsonHeaders(fields);
        return ByteBuffer.wrap(MatrixErrorWriter.body(ContainerErrors.forStatus(status)));
    }

    /**
     * What every Matrix error carries (WEB-2, WEB-3): these answers never pass the web application's
     * filters, so a page on another origin could not read them otherwise.
     */
    private static void jsonHeaders(HttpFields.Mutable fields) {
        fields.put(HttpHeader.CONTENT_TYPE, "application/json");
        BrowserHeaders.CORS.forEach(fields::put);
        fields.put(BrowserHeaders.CACHE_CONTROL, BrowserHeaders.NO_CACHE);
    }
}
