package io.tessera.tablet.flavor;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

class FlavorDetectionTest {

    @ParameterizedTest
    @CsvSource({
            "10.11.19-MariaDB-0+deb12u1-log, 10.11.19",
            "5.5.5-10.11.19-MariaDB-0+deb12u1-log, 10.11.19",
            "11.4.5-MariaDB, 11.4.5",
            "10.6.16-MariaDB-1:10.6.16+maria~ubu2204, 10.6.16",
            "10.3.39-mariadb, 10.3.39"})
    void detectsMariadb(String version, String numbers) {
        Flavor flavor = Flavor.detect(version);
        assertThat(flavor).isInstanceOf(MariadbFlavor.class);
        assertThat(flavor.version()).isEqualTo(ServerVersion.parse(numbers));
        assertThat(flavor).hasToString("MariaDB " + numbers);
    }

    @ParameterizedTest
    @CsvSource({
            "8.0.36, 8.0.36",
            "8.0.36-0ubuntu0.22.04.1, 8.0.36",
            "5.7.44-log, 5.7.44",
            "8.0.36-28, 8.0.36",
            "8.4.3, 8.4.3",
            "9.1.0-commercial, 9.1.0"})
    void detectsMysql(String version, String numbers) {
        Flavor flavor = Flavor.detect(version);
        assertThat(flavor).isInstanceOf(MysqlFlavor.class);
        assertThat(flavor.version()).isEqualTo(ServerVersion.parse(numbers));
    }

    @Test
    void theVersionSelectsTheDialect() {
        assertThat(Flavor.detect("5.7.44-log").startReplication()).containsExactly("START SLAVE");
        assertThat(Flavor.detect("8.0.36").startReplication()).containsExactly("START REPLICA");
        assertThat(Flavor.detect("10.11.19-MariaDB-0+deb12u1-log").startReplication()).containsExactly("START SLAVE");
        assertThat(Flavor.detect("8.0.36")).isEqualTo(new MysqlFlavor(new ServerVersion(8, 0, 36)))
                .isNotEqualTo(Flavor.detect("8.0.35"));
    }

    @Test
    void factoriesBuildEachFlavor() {
        assertThat(Flavor.mariadb(new ServerVersion(10, 11, 19))).isEqualTo(Flavor.detect("10.11.19-MariaDB"))
                .isInstanceOf(MariadbFlavor.class);
        assertThat(Flavor.mysql(new ServerVersion(8, 0, 36))).isEqualTo(Flavor.detect("8.0.36"))
                .isInstanceOf(MysqlFlavor.class);
        assertThat(Flavor.mysql(new ServerVersion(8, 0, 36))).isNotEqualTo(Flavor.mariadb(new ServerVersion(10, 11, 19)));
    }

    @ParameterizedTest
    @ValueSource(strings = {"", " ", "MariaDB", "eight", "8.0", "v8.0.36"})
    void rejectsTextWithoutAVersion(String version) {
        assertThatThrownBy(() -> Flavor.detect(version))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("expected a server version");
    }

    @Test
    void rejectsNull() {
        assertThatThrownBy(() -> Flavor.detect(null)).isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void rejectsReleasesTooOldToSupport() {
        assertThatThrownBy(() -> Flavor.detect("10.1.48-MariaDB"))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("MariaDB 10.3.3 or later");
        assertThatThrownBy(() -> Flavor.detect("5.6.51-log"))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("MySQL 5.7.8 or later");
    }

    @Test
    void versionsCompareNumerically() {
        assertThat(ServerVersion.parse("8.0.100")).isGreaterThan(ServerVersion.parse("8.0.23"));
        assertThat(ServerVersion.parse("10.11.0")).isGreaterThan(ServerVersion.parse("10.3.39"));
        assertThat(ServerVersion.parse("8.0.23").atLeast(8, 0, 23)).isTrue();
        assertThat(ServerVersion.parse("8.0.22").atLeast(8, 0, 23)).isFalse();
        assertThat(ServerVersion.parse(" 8.0.36-log")).hasToString("8.0.36");
        assertThatThrownBy(() -> new ServerVersion(-1, 0, 0)).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> ServerVersion.parse("99999999999.0.0")).isInstanceOf(IllegalArgumentException.class);
    }
}
