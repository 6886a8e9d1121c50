package io.tessera.topo;

import java.time.Duration;

/**
 * A separate process that takes a lock and then holds it until it is killed: how the contract suite makes a lock
 * holder die without unlocking. Usage: {@code LockHolderMain <topo address> <dir> <ttl millis>}; prints
 * {@code LOCKED} once the lock is held.
 */
public final class LockHolderMain {
    private LockHolderMain() {}

    public static void main(String[] args) throws Exception {
        if (args.length != 3) {
            System.err.println("usage: LockHolderMain <topo address> <dir> <ttl millis>");
            System.exit(2);
        }
        TopoConn conn = TopoConnFactory.fromClassPath().open(args[0]);
        LockOptions options = new LockOptions(Duration.ofMillis(Long.parseLong(args[2])), Duration.ofSeconds(30));
        conn.lock(args[1], "{\"Action\":\"LockHolderMain\",\"Pid\":" + ProcessHandle.current().pid() + "}", options);
        System.out.println("LOCKED");
        System.out.flush();
        Thread.sleep(Long.MAX_VALUE);
    }
}
