package io.tessera.gate.executor;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

class PlanCacheTest {
    private static Plan plan(int i) {
        return new Plan.Commit(i % 2 == 0);
    }

    @Test
    void keepsWhatItIsGivenUpToItsSize() {
        PlanCache cache = new PlanCache(100);
        Plan p = plan(1);
        cache.put("SELECT 1", p);

        assertThat(cache.get("SELECT 1")).isSameAs(p);
        assertThat(cache.get("SELECT 2")).isNull();
        assertThat(cache.size()).isEqualTo(1);
    }

    @Test
    void neverHoldsMoreThanItsSizeAndFreesATenthWhenFull() {
        PlanCache cache = new PlanCache(100);
        for (int i = 0; i < 100; i++) {
            cache.put("SELECT " + i, plan(i));
        }
        assertThat(cache.size()).isEqualTo(100);

        cache.put("SELECT 100", plan(100));

        assertThat(cache.size()).isEqualTo(90);
        for (int i = 101; i < 1000; i++) {
            cache.put("SELECT " + i, plan(i));
            assertThat(cache.size()).isLessThanOrEqualTo(100);
        }
    }

    @Test
    void plansUsedSinceTheLastEvictionSurviveIt() {
        PlanCache cache = new PlanCache(100);
        Plan hot = plan(7);
        cache.put("hot", hot);
        cache.get("hot");
        for (int i = 0; i < 1000; i++) {
            cache.put("one-off " + i, plan(i));
            assertThat(cache.get("hot")).as("after %d one-off statements", i).isSameAs(hot);
        }
    }

    @Test
    void evictsEvenWhenEverythingWasUsed() {
        PlanCache cache = new PlanCache(10);
        for (int i = 0; i < 10; i++) {
            cache.put("SELECT " + i, plan(i));
            cache.get("SELECT " + i);
        }

        cache.put("SELECT 10", plan(10));

        assertThat(cache.size()).isEqualTo(9);
    }

    @Test
    void clearEmptiesItAndSizeZeroKeepsNothing() {
        PlanCache cache = new PlanCache(10);
        cache.put("SELECT 1", plan(1));
        cache.clear();
        assertThat(cache.get("SELECT 1")).isNull();

        PlanCache none = new PlanCache(0);
        none.put("SELECT 1", plan(1));
        assertThat(none.get("SELECT 1")).isNull();
        assertThat(none.size()).isZero();
        assertThatThrownBy(() -> new PlanCache(-1)).isInstanceOf(IllegalArgumentException.class);
    }
}
