package io.tessera.common.http;

import static org.assertj.core.api.Assertions.assertThat;

import io.prometheus.metrics.core.metrics.Counter;
import io.prometheus.metrics.model.registry.PrometheusRegistry;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.List;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

class StatusHttpServerTest {
    private final PrometheusRegistry registry = new PrometheusRegistry();
    private final AtomicReference<Health> health = new AtomicReference<>(Health.ok());
    private final AtomicReference<StatusPage> page = new AtomicReference<>();
    private final HttpClient client = HttpClient.newHttpClient();
    private StatusHttpServer server;

    @BeforeEach
    void start() throws Exception {
        page.set(new StatusPage("tessera-test <zone1-100>", List.of(
                new StatusPage.Facts("Tablet", List.of(new StatusPage.Fact("type", "REPLICA"),
                        new StatusPage.Fact("note", "<script>alert(1)</script>"))),
                new StatusPage.Table("Pools", List.of("pool", "in use"), List.of(List.of("oltp", "3"))))));
        server = StatusHttpServer.start("127.0.0.1", 0, page::get, health::get, registry);
    }

    @AfterEach
    void stop() {
        server.close();
    }

    private HttpResponse<String> get(String path) throws Exception {
        return client.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + server.port() + path)).build(),
                HttpResponse.BodyHandlers.ofString());
    }

    @Test
    void healthzAnswersOkOr503WithTheReason() throws Exception {
        assertThat(get("/healthz").statusCode()).isEqualTo(200);
        health.set(Health.unhealthy("mysqld is not reachable"));
        HttpResponse<String> r = get("/healthz");
        assertThat(r.statusCode()).isEqualTo(503);
        assertThat(r.body()).contains("mysqld is not reachable");
    }

    @Test
    void statusPageShowsEverySectionEscaped() throws Exception {
        HttpResponse<String> r = get("/debug/status");
        assertThat(r.statusCode()).isEqualTo(200);
        assertThat(r.headers().firstValue("Content-Type")).hasValueSatisfying(v -> assertThat(v).contains("text/html"));
        assertThat(r.body()).contains("tessera-test &lt;zone1-100&gt;", "REPLICA", "<th>in use</th>", "<td>oltp</td>")
                .contains("&lt;script&gt;").doesNotContain("<script>");
    }

    @Test
    void metricsAreInPrometheusTextFormat() throws Exception {
        Counter queries = Counter.builder().name("tessera_queries_total").help("queries").labelNames("kind")
                .register(registry);
        queries.labelValues("select").inc(3);
        HttpResponse<String> r = get("/metrics");
        assertThat(r.statusCode()).isEqualTo(200);
        assertThat(r.body()).contains("tessera_queries_total{kind=\"select\"} 3.0");
    }

    @Test
    void rootRedirectsAndUnknownPathsAre404() throws Exception {
        HttpResponse<String> root = get("/");
        assertThat(root.statusCode()).isEqualTo(302);
        assertThat(root.headers().firstValue("Location")).hasValue("/debug/status");
        assertThat(get("/nope").statusCode()).isEqualTo(404);
    }

    @Test
    void aFailingPageAnswers500AndTheServerKeepsServing() throws Exception {
        page.set(null);
        assertThat(get("/debug/status").statusCode()).isEqualTo(500);
        assertThat(get("/healthz").statusCode()).isEqualTo(200);
    }
}
