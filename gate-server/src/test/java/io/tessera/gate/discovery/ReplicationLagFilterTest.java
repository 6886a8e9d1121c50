package io.tessera.gate.discovery;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.List;
import java.util.stream.IntStream;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * The lag filter on tables of lags (seconds), low mark 30 s, high mark 2 h: which candidates (by position) serve.
 */
class ReplicationLagFilterTest {
    private static final Duration LOW = Duration.ofSeconds(30);
    private static final Duration HIGH = Duration.ofHours(2); // 7200 s

    /** A candidate; equal lags on purpose make equal records, which the filter must still tell apart. */
    private record Candidate(long lag) {}

    static Stream<Arguments> legacy() {
        return Stream.of(
                // min, lags, serving positions, why
                Arguments.of(2, List.of(), List.of(), "no candidates"),
                Arguments.of(2, List.of(5000L), List.of(0), "a single candidate always serves"),
                Arguments.of(2, List.of(0L, 10L, 30L), List.of(0, 1, 2), "all at or below the low mark"),
                Arguments.of(2, List.of(0L, 0L, 100L), List.of(0, 1), "the outlier goes, two remain"),
                Arguments.of(2, List.of(10L, 20L, 40L, 5000L), List.of(0, 1),
                        "one outlier dropped with more than the minimum left: the filter runs again"),
                Arguments.of(2, List.of(0L, 10L, 20L, 5000L), List.of(0, 1, 2),
                        "the second run keeps everything at or below the low mark"),
                Arguments.of(1, List.of(0L, 0L, 100L), List.of(0, 1), "minimum 1: the outlier goes"),
                Arguments.of(2, List.of(100L, 300L), List.of(0, 1),
                        "the mean test keeps only one: the floor serves the two least lagged"),
                Arguments.of(2, List.of(50L, 20000L), List.of(0),
                        "the floor never serves a tablet above the high mark"),
                Arguments.of(3, List.of(500L, 0L, 200L, 20000L, 300L), List.of(1, 2, 4),
                        "the second run drops a second outlier"),
                Arguments.of(3, List.of(100L, 200L, 7000L, 7100L), List.of(0, 1, 2),
                        "the mean test keeps two: the floor serves the three least lagged"),
                Arguments.of(3, List.of(300L, 100L, 20000L), List.of(0, 1),
                        "the floor stops short of the minimum rather than serve above the high mark"),
                Arguments.of(2, List.of(8000L, 30000L), List.of(0, 1),
                        "all above the high mark: all serve rather than none"),
                Arguments.of(2, List.of(40L, 50L, 60L), List.of(0, 1, 2),
                        "lags alike, all past the low mark: no outlier"));
    }

    static Stream<Arguments> byThresholds() {
        return Stream.of(
                Arguments.of(2, List.of(), List.of(), "no candidates"),
                Arguments.of(2, List.of(0L, 10L, 20L), List.of(0, 1, 2), "all at or below the low mark"),
                Arguments.of(2, List.of(0L, 100L, 200L), List.of(0, 1),
                        "the low one plus the least lagged other up to the minimum"),
                Arguments.of(2, List.of(300L, 100L, 200L), List.of(1, 2), "the two least lagged, in input order"),
                Arguments.of(2, List.of(0L, 5L, 10L, 5000L), List.of(0, 1, 2), "every low one, beyond the minimum"),
                Arguments.of(2, List.of(50L, 20000L), List.of(0), "above the high mark never serves"),
                Arguments.of(2, List.of(8000L, 9000L), List.of(), "all above the high mark: none"),
                Arguments.of(0, List.of(100L, 200L), List.of(), "minimum 0: only low-lag tablets"),
                Arguments.of(1, List.of(5000L, 30L, 31L), List.of(1), "minimum 1: the low one alone"));
    }

    @ParameterizedTest(name = "legacy, min {0}, lags {1}: {3}")
    @MethodSource
    void legacy(int min, List<Long> lags, List<Integer> serving, String why) {
        assertThat(run(true, min, lags)).as(why).isEqualTo(serving);
    }

    @ParameterizedTest(name = "non-legacy, min {0}, lags {1}: {3}")
    @MethodSource
    void byThresholds(int min, List<Long> lags, List<Integer> serving, String why) {
        assertThat(run(false, min, lags)).as(why).isEqualTo(serving);
    }

    private static List<Integer> run(boolean legacy, int min, List<Long> lags) {
        List<Candidate> candidates = lags.stream().map(Candidate::new).toList();
        List<Candidate> kept = new ReplicationLagFilter(LOW, HIGH, min, legacy).filter(candidates, Candidate::lag);
        // Positions by identity, so equal candidates count separately.
        return kept.stream().map(k -> IntStream.range(0, candidates.size())
                .filter(i -> candidates.get(i) == k).findFirst().orElseThrow()).toList();
    }
}
