package io.tessera.tablet.mysqlctl;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class TemplateDatadirTest {
    @TempDir
    Path root;

    @Test
    void concurrentCallersShareOneInitialisation() throws Exception {
        MysqldBinaries binaries = MysqldBinaries.locate(Optional.empty(), MysqldBinaries.defaultSearchPath());
        // Two objects, as two tablets would have, racing for the same template root.
        Callable<TemplateDatadir.Result> first =
                () -> new TemplateDatadir(root, binaries, OsUser.current(), Duration.ofMinutes(2)).ensure();
        Callable<TemplateDatadir.Result> second =
                () -> new TemplateDatadir(root, binaries, OsUser.current(), Duration.ofMinutes(2)).ensure();
        List<TemplateDatadir.Result> results;
        try (ExecutorService pool = Executors.newFixedThreadPool(2)) {
            List<Future<TemplateDatadir.Result>> futures = pool.invokeAll(List.of(first, second));
            results = List.of(futures.get(0).get(), futures.get(1).get());
        }

        assertThat(results).filteredOn(TemplateDatadir.Result::createdNow).hasSize(1);
        Path data = root.resolve("mysqld-template/data");
        assertThat(results).extracting(TemplateDatadir.Result::dataDir).containsOnly(data);
        assertThat(data.resolve("mysql")).isDirectory();
        assertThat(root.resolve("mysqld-template/data.tmp")).doesNotExist();

        TemplateDatadir again = new TemplateDatadir(root, binaries, OsUser.current(), Duration.ofMinutes(2));
        assertThat(again.ensure().createdNow()).isFalse();

        Path copy = root.resolve("copy");
        again.copyTo(copy);
        assertThat(copy.resolve("mysql")).isDirectory();
        assertThat(copy.resolve("ibdata1")).isRegularFile();
        assertThat(root.resolve("copy.tmp")).doesNotExist();
    }
}
