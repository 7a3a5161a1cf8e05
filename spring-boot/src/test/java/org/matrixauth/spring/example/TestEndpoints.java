package org.matrixauth.spring.example;

import java.util.List;
import java.util.Map;
import org.matrixauth.auth.Requester;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.RestController;

/** The tests' other routes: a public one, one that refuses guests (unlisted), an admin one. */
@RestController
class TestEndpoints {
    @GetMapping("/_matrix/client/versions")
    Map<String, Object> versions() {
        return Map.of("versions", List.of("v1.11"));
    }

    @GetMapping("/_matrix/client/v3/devices")
    Map<String, Object> devices(Requester requester) {
        return Map.of("devices", List.of(Map.of("device_id", requester.deviceId(), "user_id", requester.userId())));
    }

    @GetMapping("/_synapse/admin/v1/server_version")
    Map<String, Object> serverVersion(Requester requester) {
        return Map.of("server_version", "test", "asked_by", requester.userId());
    }
}
