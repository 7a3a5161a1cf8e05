package org.matrixauth.spring;

import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.matrixauth.spring.example.WhoamiApplication;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.boot.test.system.CapturedOutput;
import org.springframework.boot.test.system.OutputCaptureExtension;

/** A configuration the filter cannot use stops start-up with Spring Boot's report naming the key. */
@ExtendWith(OutputCaptureExtension.class)
class ConfigErrorTest {
    @Test
    void aMisspeltSynapseKeyIsNamedWithTheKeyItMisspells(CapturedOutput output) {
        failsToStart("matrix.auth.config.track_pupeted_user_ips=true");
        assertThat(output.getOut()).contains("APPLICATION FAILED TO START", "matrix-auth-filter cannot start:",
                "'track_pupeted_user_ips'", "did you mean 'track_puppeted_user_ips'?", "matrix.auth.config");
    }

    @Test
    void aBadValueIsNamedByItsKey(CapturedOutput output) {
        failsToStart("matrix.auth.config.max_mau_value=many");
        assertThat(output.getOut()).contains("matrix-auth-filter cannot start:", "'max_mau_value'");
    }

    @Test
    void aBadRouteRuleIsNamedByItsLine(CapturedOutput output) {
        failsToStart("matrix.auth.routes[0]=/_matrix/client/versions publik");
        assertThat(output.getOut()).contains("matrix-auth-filter cannot start:", "line 1", "unknown flag 'publik'");
    }

    @Test
    void aListOfMappingsInlineIsSentToTheFile(CapturedOutput output) {
        failsToStart("matrix.auth.config.mau_limit_reserved_threepids[0].medium=email");
        assertThat(output.getOut()).contains("'mau_limit_reserved_threepids'", "matrix.auth.config-file");
    }

    private static void failsToStart(String property) {
        assertThrows(Exception.class, () -> new SpringApplicationBuilder(WhoamiApplication.class)
                .properties("server.port=0", "matrix.auth.config.database=jdbc:h2:mem:config-error").run("--" + property));
    }
}
