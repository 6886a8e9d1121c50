package io.tessera.tablet.queryservice;

import static org.assertj.core.api.Assertions.assertThat;

import io.netty.channel.DefaultEventLoop;
import io.netty.channel.EventLoop;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.Callable;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executors;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** Deadlines of statements an event loop runs, timed by the loop's one sweep timer (real Netty loop, fake killer). */
class LoopDeadlineSweepTest {
    private final EventLoop loop = new DefaultEventLoop();
    private final ScheduledExecutorService scheduler = Executors.newSingleThreadScheduledExecutor();
    private final BlockingQueue<Long> killed = new LinkedBlockingQueue<>();
    private final Set<Long> killedConnections = ConcurrentHashMap.newKeySet();
    private final QueryDeadlines deadlines = new QueryDeadlines(scheduler, new MysqlKiller() {
        @Override
        public void killQuery(long threadId) {
            killed.add(threadId);
        }

        @Override
        public void killConnection(long threadId) {
            killedConnections.add(threadId);
        }
    });

    @AfterEach
    void stop() throws Exception {
        loop.shutdownGracefully(0, 1, TimeUnit.SECONDS).sync();
        scheduler.shutdownNow();
    }

    private <T> T onLoop(Callable<T> task) throws Exception {
        return loop.submit(task).get(5, TimeUnit.SECONDS);
    }

    private QueryDeadlines.Deadline start(long threadId, Duration timeout) throws Exception {
        return onLoop(() -> deadlines.start(threadId, timeout, loop));
    }

    @Test
    void aStatementPastItsTimeoutIsKilled() throws Exception {
        QueryDeadlines.Deadline d = start(7, Duration.ofMillis(50));

        assertThat(killed.poll(5, TimeUnit.SECONDS)).isEqualTo(7L);
        assertThat(d.fired()).isTrue();
        // The kill may still hold the deadline (tryFinish would say so); finish waits for it.
        d.finish();
        assertThat(onLoop(() -> sweep().armed())).isZero();
    }

    @Test
    void statementsThatFinishInTimeAreNeverKilledAndLeaveNothingArmed() throws Exception {
        // Started and finished in one task of the loop each, as a loop starts and finishes its statements.
        List<QueryDeadlines.Deadline> started = onLoop(() -> {
            List<QueryDeadlines.Deadline> all = new ArrayList<>();
            for (long id = 1; id <= 100; id++) {
                all.add(deadlines.start(id, Duration.ofMillis(300), loop));
            }
            return all;
        });
        assertThat(onLoop(() -> sweep().armed())).isEqualTo(100);
        // Finished in an order other than armed, so the list's swap-removes move entries about.
        List<Boolean> finished = onLoop(() -> {
            List<Boolean> all = new ArrayList<>();
            for (int i = 0; i < started.size(); i += 2) {
                all.add(started.get(i).tryFinish());
            }
            for (int i = started.size() - 1; i > 0; i -= 2) {
                all.add(started.get(i).tryFinish());
            }
            return all;
        });
        assertThat(finished).hasSize(100).containsOnly(true);
        assertThat(onLoop(() -> sweep().armed())).isZero();

        // Past the deadline the sweep's timer has gone off and found nothing to kill.
        assertThat(killed.poll(800, TimeUnit.MILLISECONDS)).isNull();
        assertThat(started).noneMatch(QueryDeadlines.Deadline::fired);
    }

    @Test
    void aShorterTimeoutArmedAfterALongerOneFiresFirstAndTheLongerOneStillFiresLater() throws Exception {
        QueryDeadlines.Deadline longer = start(1, Duration.ofSeconds(3));
        QueryDeadlines.Deadline shorter = start(2, Duration.ofMillis(50));
        QueryDeadlines.Deadline finished = start(3, Duration.ofSeconds(1));
        assertThat(onLoop(finished::tryFinish)).isTrue();

        // Well before the longer deadline: the timer set for it was set again, earlier.
        assertThat(killed.poll(1500, TimeUnit.MILLISECONDS)).isEqualTo(2L);
        assertThat(shorter.fired()).isTrue();
        assertThat(longer.fired()).isFalse();
        assertThat(killed.poll(5, TimeUnit.SECONDS)).isEqualTo(1L);
        assertThat(longer.fired()).isTrue();
        assertThat(finished.fired()).isFalse();
        assertThat(killed).isEmpty();
    }

    @Test
    void aDeadlineFinishedFromAnotherThreadIsTakenOutOnTheLoop() throws Exception {
        QueryDeadlines.Deadline d = start(9, Duration.ofSeconds(1));

        d.finish();

        assertThat(killed.poll(1500, TimeUnit.MILLISECONDS)).isNull();
        assertThat(d.fired()).isFalse();
        assertThat(onLoop(() -> sweep().armed())).isZero();
    }

    @Test
    void noTimeoutArmsNothing() throws Exception {
        QueryDeadlines.Deadline d = start(4, Duration.ZERO);

        assertThat(onLoop(d::tryFinish)).isTrue();
        assertThat(killed.poll(200, TimeUnit.MILLISECONDS)).isNull();
        assertThat(killedConnections).isEmpty();
    }

    private LoopDeadlineSweep sweep() {
        return deadlines.sweep(loop);
    }
}
