package io.tessera.topo.etcd;

import io.tessera.topo.LockHandle;
import io.tessera.topo.LockOptions;
import java.time.Duration;
import java.util.List;

/**
 * Takes a lock on etcd and holds it until the process is killed: the holder that dies without unlocking.
 * Arguments: {@code <endpoint> <root> <dir> <ttlMillis>}. Prints {@code LOCKED <lock node path>} once held.
 */
public final class EtcdLockHolderMain {
    private EtcdLockHolderMain() {}

    public static void main(String[] args) throws Exception {
        EtcdTopoConn conn = EtcdTopoConn.connect(List.of(args[0]), args[1]);
        LockHandle lock = conn.lock(args[2], "held by pid " + ProcessHandle.current().pid(),
                new LockOptions(Duration.ofMillis(Long.parseLong(args[3])), Duration.ofSeconds(30)));
        System.out.println("LOCKED " + ((EtcdLock) lock).nodePath());
        System.out.flush();
        // Hold until killed; never unlock.
        new java.util.concurrent.CountDownLatch(1).await();
    }
}
