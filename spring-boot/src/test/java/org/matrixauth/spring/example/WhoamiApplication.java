package org.matrixauth.spring.example;

import java.util.LinkedHashMap;
import java.util.Map;
import org.matrixauth.auth.Requester;
import org.springframework.boot.SpringApplication;
import org.springframework.boot.autoconfigure.SpringBootApplication;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.RestController;

@SpringBootApplication
@RestController
public class WhoamiApplication {
    public static void main(String[] args) {
        SpringApplication.run(WhoamiApplication.class, args);
    }

    /** Synapse's whoami: the device only when the requester has one. */
    @GetMapping("/_matrix/client/{version:r0|v3}/account/whoami")
    public Map<String, Object> whoami(Requester requester) {
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("user_id", requester.userId());
        body.put("is_guest", requester.isGuest());
        if (requester.deviceId() != null) {
            body.put("device_id", requester.deviceId());
        }
        return body;
    }
}
