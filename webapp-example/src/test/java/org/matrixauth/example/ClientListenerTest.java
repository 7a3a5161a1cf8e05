package org.matrixauth.example;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.matrixauth.config.ConfigException;

/** homeserver.yaml's {@code listeners} read as Synapse reads them; what cannot be honoured names its key. */
class ClientListenerTest {
    @TempDir
    Path dir;

    private ClientListener read(String yaml) throws Exception {
        return ClientListener.read(Files.writeString(dir.resolve("homeserver.yaml"), "server_name: test\n" + yaml));
    }

    @Test
    void withoutListenersItBindsWhatSynapsesGeneratedConfigBinds() throws Exception {
        assertEquals(new ClientListener(8008, List.of("::1", "127.0.0.1"), false, null), read(""));
    }

    @Test
    void aListenerWithoutBindAddressesBindsEveryInterfaceAsSynapseDoes() throws Exception {
        assertEquals(new ClientListener(8448, List.of("::", "0.0.0.0"), true, "X-Request-Id"), read("""
                listeners:
                  - {port: 8448, type: http, x_forwarded: true, request_id_header: X-Request-Id, resources: [{names: [client]}]}
                """));
    }

    @Test
    void bindAddressIsAddedToBindAddresses() throws Exception {
        assertEquals(List.of("10.0.0.1", "127.0.0.1"), read("""
                listeners:
                  - {port: 8008, type: http, bind_addresses: ['10.0.0.1'], bind_address: 127.0.0.1, resources: [{names: [client]}]}
                """).bindAddresses());
    }

    @ParameterizedTest(name = "{0}")
    @CsvSource(delimiter = '|', textBlock = """
            listeners[0].tls             | {port: 8448, type: http, tls: true, resources: [{names: [client]}]}
            listeners[0].path            | {path: /run/synapse.sock, type: http, resources: [{names: [client]}]}
            listeners[0].port            | {port: eighty, type: http, resources: [{names: [client]}]}
            listeners[0].x_forwarded     | {port: 8008, type: http, x_forwarded: maybe, resources: [{names: [client]}]}
            listeners[0].bind_addresses  | {port: 8008, type: http, bind_addresses: 127.0.0.1, resources: [{names: [client]}]}
            listeners[0].request_id_header | {port: 8008, type: http, request_id_header: 7, resources: [{names: [client]}]}
            listeners                    | {port: 9000, type: metrics}
            """)
    void aValueTheExampleCannotHonourNamesItsKey(String key, String listener) {
        ConfigException e = assertThrows(ConfigException.class, () -> read("listeners:\n  - " + listener + "\n"));
        assertEquals(true, e.getMessage().startsWith("configuration key '" + key + "' "), e.getMessage());
    }
}
