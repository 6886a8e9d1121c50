package io.tessera.common.http;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import io.prometheus.metrics.expositionformats.PrometheusTextFormatWriter;
import io.prometheus.metrics.model.registry.PrometheusRegistry;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.Executors;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The HTTP port every Tessera daemon opens for people and monitoring: {@code /debug/status} (an HTML page a person
 * reads), {@code /healthz} (200 or 503 with the reason) and {@code /metrics} (Prometheus text format). {@code /}
 * redirects to the status page. A failure while rendering answers 500 and never stops the server.
 */
public final class StatusHttpServer implements AutoCloseable {
    private static final Logger log = LoggerFactory.getLogger(StatusHttpServer.class);

    private final HttpServer server;

    private StatusHttpServer(HttpServer server) {
        this.server = server;
    }

    /**
     * Starts serving.
     *
     * @param bindAddress the address to listen on ({@code ""} for all interfaces)
     * @param port the port, or 0 for any free one
     * @param status renders the status page on each request
     * @param health answers {@code /healthz}
     * @param metrics the registry {@code /metrics} exposes
     * @throws IOException if the port cannot be bound
     */
    public static StatusHttpServer start(String bindAddress, int port, Supplier<StatusPage> status,
            Supplier<Health> health, PrometheusRegistry metrics) throws IOException {
        InetSocketAddress address = bindAddress.isEmpty() ? new InetSocketAddress(port)
                : new InetSocketAddress(bindAddress, port);
        HttpServer server = HttpServer.create(address, 64);
        server.setExecutor(Executors.newVirtualThreadPerTaskExecutor());
        PrometheusTextFormatWriter writer = PrometheusTextFormatWriter.create();
        server.createContext("/debug/status", ex -> respond(ex, () -> new Response(200,
                "text/html; charset=utf-8", StatusPageHtml.render(status.get()))));
        server.createContext("/healthz", ex -> respond(ex, () -> {
            Health h = health.get();
            return new Response(h.healthy() ? 200 : 503, "text/plain; charset=utf-8", h.detail() + "\n");
        }));
        server.createContext("/metrics", ex -> respond(ex, () -> {
            ByteArrayOutputStream out = new ByteArrayOutputStream(8192);
            writer.write(out, metrics.scrape());
            return new Response(200, writer.getContentType(), out.toString(StandardCharsets.UTF_8));
        }));
        server.createContext("/", ex -> {
            if (ex.getRequestURI().getPath().equals("/")) {
                ex.getResponseHeaders().add("Location", "/debug/status");
                ex.sendResponseHeaders(302, -1);
            } else {
                respond(ex, () -> new Response(404, "text/plain; charset=utf-8", "not found\n"));
            }
            ex.close();
        });
        server.start();
        return new StatusHttpServer(server);
    }

    /** The port the server listens on. */
    public int port() {
        return server.getAddress().getPort();
    }

    @Override
    public void close() {
        server.stop(0);
    }

    private record Response(int status, String contentType, String body) {}

    @FunctionalInterface
    private interface Renderer {
        Response render() throws IOException;
    }

    private static void respond(HttpExchange ex, Renderer renderer) throws IOException {
        Response r;
        try {
            r = renderer.render();
        } catch (RuntimeException | IOException e) {
            log.warn("cannot render {}", ex.getRequestURI(), e);
            r = new Response(500, "text/plain; charset=utf-8", "error: " + e + "\n");
        }
        byte[] body = r.body().getBytes(StandardCharsets.UTF_8);
        ex.getResponseHeaders().set("Content-Type", r.contentType());
        boolean head = "HEAD".equals(ex.getRequestMethod());
        ex.sendResponseHeaders(r.status(), head ? -1 : body.length);
        if (!head) {
            try (OutputStream os = ex.getResponseBody()) {
                os.write(body);
            }
        }
        ex.close();
    }
}
