package org.matrixauth.example;

import jakarta.servlet.RequestDispatcher;
import jakarta.servlet.http.HttpServlet;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import org.matrixauth.servlet.MatrixErrorWriter;

/**
 * The web application's last word, in Matrix JSON: mapped to {@code /}, it answers every path no
 * other servlet serves with 404 M_UNRECOGNIZED (as Synapse does, where the container would list
 * a directory or send its HTML page); as web.xml's error page, it answers what the container
 * refused or what escaped a servlet with the Matrix error for that status.
 */
public class MatrixFallbackServlet extends HttpServlet {
    private final MatrixErrorWriter errors = new MatrixErrorWriter();

    @Override
    protected void service(HttpServletRequest request, HttpServletResponse response) throws IOException {
        Object status = request.getAttribute(RequestDispatcher.ERROR_STATUS_CODE);
        errors.write(response, ContainerErrors.forStatus(status instanceof Integer code ? code : 404));
    }
}
