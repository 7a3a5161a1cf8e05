package org.matrixauth.example;

import jakarta.servlet.ServletOutputStream;
import jakarta.servlet.WriteListener;
import jakarta.servlet.http.HttpServletResponse;
import jakarta.servlet.http.HttpServletResponseWrapper;
import java.io.IOException;
import java.io.OutputStreamWriter;
import java.io.PrintWriter;

/**
 * The response, counting the body bytes written through it: the servlet API has no portable way
 * to ask a container how many it sent, which Synapse's access line reports.
 */
final class CountingResponse extends HttpServletResponseWrapper {
    private long bytes;
    private ServletOutputStream counting;
    private PrintWriter writer;

    CountingResponse(HttpServletResponse response) {
        super(response);
    }

    /**
     * The bytes written so far; what a servlet left in {@link #getWriter()}'s buffer is written
     * first, as the container would flush its own writer at the end of the request.
     */
    long bytesWritten() {
        if (writer != null) {
            writer.flush();
        }
        return bytes;
    }

    @Override
    public ServletOutputStream getOutputStream() throws IOException {
        if (counting == null) {
            ServletOutputStream body = super.getOutputStream();
            counting = new ServletOutputStream() {
                @Override
                public void write(int b) throws IOException {
                    body.write(b);
                    bytes++;
                }

                @Override
                public void write(byte[] b, int off, int len) throws IOException {
                    body.write(b, off, len);
                    bytes += len;
                }

                @Override
                public void flush() throws IOException {
                    body.flush();
                }

                @Override
                public void close() throws IOException {
                    body.close();
                }

                @Override
                public boolean isReady() {
                    return body.isReady();
                }

                @Override
                public void setWriteListener(WriteListener listener) {
                    body.setWriteListener(listener);
                }
            };
        }
        return counting;
    }

    /** Characters in the response's encoding, counted as the bytes they become. */
    @Override
    public PrintWriter getWriter() throws IOException {
        if (writer == null) {
            writer = new PrintWriter(new OutputStreamWriter(getOutputStream(), getCharacterEncoding()));
        }
        return writer;
    }
}
