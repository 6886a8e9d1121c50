package io.tessera.common.http;

/**
 * What {@code /healthz} answers: healthy (HTTP 200) or not, with the reason (HTTP 503).
 *
 * @param healthy whether the daemon can do its job
 * @param detail why not, or a short "ok" text
 */
public record Health(boolean healthy, String detail) {
    public static Health ok() {
        return new Health(true, "ok");
    }

    public static Health unhealthy(String why) {
        return new Health(false, why);
    }
}
