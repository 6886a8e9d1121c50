package io.tessera.ctld.reparent;

import io.tessera.ctld.CtldException;
import io.tessera.proto.vtrpc.Code;
import io.tessera.topo.LockHandle;
import io.tessera.topo.TopoException;
import io.tessera.topo.TopoServer;

/**
 * The shard lock a reparent holds for its whole run. {@link #check(String)} is called before every step that
 * changes which tablet may take writes, so a holder whose lease expired stops instead of racing the next holder.
 */
final class ShardLock implements AutoCloseable {
    private final LockHandle handle;
    private final String keyspace;
    private final String shard;
    private final StepLog log;

    private ShardLock(LockHandle handle, String keyspace, String shard, StepLog log) {
        this.handle = handle;
        this.keyspace = keyspace;
        this.shard = shard;
        this.log = log;
    }

    /**
     * Takes the lock, waiting as long as the topology's lock options allow.
     *
     * @throws CtldException ABORTED if another operation held it for the whole wait, NOT_FOUND if the shard does
     *     not exist
     */
    static ShardLock acquire(TopoServer topo, String keyspace, String shard, String action, StepLog log) {
        try {
            LockHandle handle = topo.lockShard(keyspace, shard, action);
            log.info("locked shard " + keyspace + "/" + shard + " for " + action);
            return new ShardLock(handle, keyspace, shard, log);
        } catch (TopoException e) {
            if (e.is(TopoException.Code.TIMEOUT)) {
                throw new CtldException(Code.ABORTED, "shard " + keyspace + "/" + shard + " is locked by another "
                        + "operation (a reparent or another shard change), and it stayed locked for the whole wait. "
                        + "Nothing was changed; run " + action + " again when that operation has finished.", e);
            }
            if (e.is(TopoException.Code.NO_NODE)) {
                throw new CtldException(Code.NOT_FOUND, "shard " + keyspace + "/" + shard + " does not exist", e);
            }
            throw Failures.topo("locking shard " + keyspace + "/" + shard, e);
        }
    }

    /**
     * Confirms the lock is still held before {@code nextStep}.
     *
     * @param stateIfLost what the shard looks like at this point, for the message
     * @throws CtldException ABORTED if the lock was lost (another operation may be changing the shard now)
     */
    void check(String nextStep, String stateIfLost) {
        try {
            handle.check();
        } catch (TopoException e) {
            throw new CtldException(Code.ABORTED, "lost the lock on shard " + keyspace + "/" + shard + " before "
                    + nextStep + " (" + e.getMessage() + "), so the reparent stopped there: " + stateIfLost
                    + " Check the shard with GetShard and the tablets' types, then run the reparent again.", e);
        }
    }

    /** Same as {@link #check(String, String)} for a point where nothing has been changed yet. */
    void check(String nextStep) {
        check(nextStep, "nothing had been changed yet.");
    }

    @Override
    public void close() {
        try {
            handle.unlock();
            log.info("unlocked shard " + keyspace + "/" + shard);
        } catch (TopoException e) {
            log.warn("could not release the lock on shard " + keyspace + "/" + shard + " (" + e.getMessage()
                    + "); its lease expires by itself");
        }
    }
}
