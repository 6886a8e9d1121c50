package io.tessera.gate.mysql;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;

/** A self-signed certificate and key made with the openssl command line in a temporary directory. */
record TlsCertificate(Path dir, Path cert, Path key) {
    static TlsCertificate create() throws IOException, InterruptedException {
        Path dir = Files.createTempDirectory("mysql-tls");
        Path cert = dir.resolve("c.pem");
        Path key = dir.resolve("k.pem");
        Process p = new ProcessBuilder("openssl", "req", "-x509", "-newkey", "rsa:2048", "-nodes", "-keyout",
                key.toString(), "-out", cert.toString(), "-days", "1", "-subj", "/CN=localhost")
                .redirectErrorStream(true).redirectOutput(dir.resolve("openssl.log").toFile()).start();
        if (!p.waitFor(60, TimeUnit.SECONDS)) {
            p.destroyForcibly();
            throw new IOException("openssl did not finish within 60 s");
        }
        if (p.exitValue() != 0 || !Files.exists(cert) || !Files.exists(key)) {
            throw new IOException("openssl failed: " + Files.readString(dir.resolve("openssl.log")));
        }
        return new TlsCertificate(dir, cert, key);
    }
}
