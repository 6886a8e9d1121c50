package io.tessera.tablet.queryservice;

import static org.assertj.core.api.Assertions.assertThat;

import com.google.protobuf.ByteString;
import io.tessera.proto.query.BoundQuery;
import io.tessera.proto.query.QueryResult;
import io.tessera.proto.query.Row;
import io.tessera.proto.query.StreamExecuteRequest;
import io.tessera.proto.topodata.TabletType;
import io.tessera.queryservice.CompactRows;
import io.tessera.queryservice.GrpcQueryServiceClient;
import io.tessera.tablet.mysqlctl.DbCredentials;
import io.tessera.testing.FreePorts;
import io.tessera.testing.ManagedProcess;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.zip.CRC32;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A million rows of about 200 bytes (about 200 MB) streamed through a tablet whose JVM has a 64 MB heap and 64 MB
 * of direct memory. The reader pauses now and then, so a tablet that buffered instead of following gRPC flow
 * control would run out of memory (and exit: the JVM runs with ExitOnOutOfMemoryError).
 */
class StreamingMemoryTest {
    private static final int ROWS = 1_000_000;
    private static final int WIDTH = 200;

    @TempDir
    Path root;

    @Test
    void aMillionRowsStreamThroughATabletWithA64MbHeap() throws Exception {
        try (QueryServiceFixture fixture = new QueryServiceFixture(root)) {
            int port = FreePorts.next();
            DbCredentials creds = DbCredentials.withPassword("pw");
            List<String> command = ManagedProcess.javaCommand(StreamingTabletMain.class.getName(),
                    List.of("-Xmx64m", "-XX:MaxDirectMemorySize=64m", "-XX:+ExitOnOutOfMemoryError",
                            "-XX:+UseSerialGC"),
                    List.of(Integer.toString(port), fixture.mysqld.dir().socket().toString(), "vt_commerce",
                            creds.app().user(), creds.dba().user()));
            try (ManagedProcess tablet = ManagedProcess.start("tablet", command,
                    Map.of("APP_PASSWORD", creds.app().password(), "DBA_PASSWORD", creds.dba().password()), root,
                    root.resolve("tablet.log"));
                    GrpcQueryServiceClient client = GrpcQueryServiceClient.connect("127.0.0.1", port)) {
                tablet.awaitReady(() -> FreePorts.isListening(port), Duration.ofSeconds(60));

                Reader reader = new Reader();
                client.streamExecute(StreamExecuteRequest.newBuilder()
                        .setTarget(QueryServiceFixture.target(TabletType.PRIMARY))
                        .setQuery(BoundQuery.newBuilder()
                                .setSql("SELECT seq, REPEAT('x', " + WIDTH + ") FROM seq_1_to_" + ROWS))
                        .build(), reader);

                assertThat(reader.rows).isEqualTo(ROWS);
                assertThat(reader.seqSum).isEqualTo((long) ROWS * (ROWS + 1) / 2);
                assertThat(reader.crc.getValue()).isEqualTo(expectedCrc());
                assertThat(tablet.isAlive()).as("tablet process alive; log:\n%s", tablet.tail()).isTrue();
                assertThat(tablet.logText()).doesNotContain("OutOfMemoryError");
                peakRss(tablet.pid());
            }
        }
    }

    /** Checks every row and pauses three times, holding the tablet back through flow control. */
    private static final class Reader implements io.tessera.queryservice.QueryResultConsumer {
        final CRC32 crc = new CRC32();
        long rows;
        long seqSum;
        int chunks;

        @Override
        public void accept(QueryResult chunk) {
            chunks++;
            if (chunks == 1) {
                assertThat(chunk.getFieldsCount()).isEqualTo(2);
            }
            for (Row row : chunk.getRowsList()) {
                List<ByteString> values = CompactRows.values(row);
                ByteString seq = values.get(0);
                ByteString text = values.get(1);
                assertThat(text.size()).isEqualTo(WIDTH);
                rows++;
                seqSum += Long.parseLong(seq.toStringUtf8());
                crc.update(seq.asReadOnlyByteBuffer());
                crc.update(text.asReadOnlyByteBuffer());
            }
            if (chunks == 50 || chunks == 2000 || chunks == 4000) {
                pause();
            }
        }

        private static void pause() {
            try {
                Thread.sleep(1000);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
    }

    private static long expectedCrc() {
        CRC32 crc = new CRC32();
        byte[] text = "x".repeat(WIDTH).getBytes(StandardCharsets.US_ASCII);
        for (int i = 1; i <= ROWS; i++) {
            crc.update(Integer.toString(i).getBytes(StandardCharsets.US_ASCII));
            crc.update(text);
        }
        return crc.getValue();
    }

    /** Prints the tablet's peak resident memory, for the record (not asserted). */
    private static void peakRss(long pid) {
        try {
            for (String line : Files.readAllLines(Path.of("/proc/" + pid + "/status"))) {
                if (line.startsWith("VmHWM")) {
                    System.out.println("tablet JVM peak RSS while streaming " + ROWS + " rows: " + line.substring(6)
                            .strip());
                }
            }
        } catch (java.io.IOException e) {
            System.out.println("peak RSS not available: " + e.getMessage());
        }
    }
}
