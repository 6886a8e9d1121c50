package io.tessera.topo.etcd;

import io.tessera.testing.EtcdProcess;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.TestInstance;

/**
 * One real etcd per test class, a fresh root (key prefix) per test, and every connection a test opens closed
 * after it.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
abstract class EtcdTestBase {
    protected EtcdProcess etcd;
    protected String root;
    private final List<AutoCloseable> opened = new ArrayList<>();

    @BeforeAll
    void startEtcd() {
        etcd = EtcdProcess.start();
    }

    @AfterAll
    void stopEtcd() {
        if (etcd != null) {
            etcd.close();
        }
    }

    @BeforeEach
    void freshRoot() {
        root = "/tessera-test/" + UUID.randomUUID();
    }

    @AfterEach
    void closeConnections() throws Exception {
        for (AutoCloseable c : opened.reversed()) {
            c.close();
        }
        opened.clear();
    }

    /** A new connection to this test's root, closed after the test. */
    protected EtcdTopoConn connect() {
        return connect(EtcdConnOptions.DEFAULT);
    }

    protected EtcdTopoConn connect(EtcdConnOptions options) {
        return closeAfterTest(EtcdTopoConn.connect(List.of(etcd.endpoint()), root, options));
    }

    protected <T extends AutoCloseable> T closeAfterTest(T resource) {
        opened.add(resource);
        return resource;
    }

    protected static byte[] bytes(String s) {
        return s.getBytes(java.nio.charset.StandardCharsets.UTF_8);
    }

    protected static String text(byte[] b) {
        return new String(b, java.nio.charset.StandardCharsets.UTF_8);
    }
}
