package io.tessera.topo;

/**
 * A held lock on a topology directory. The holder keeps its lease alive in the background until
 * {@link #unlock()}; closing the handle unlocks it.
 *
 * <p>Locks are advisory: they stop other lockers, not writers. A holder that changes what the lock guards calls
 * {@link #check()} before each step, so a holder whose lease expired (a long pause, a lost connection) stops
 * instead of racing the next holder.
 */
public interface LockHandle extends AutoCloseable {

    /** The locked directory. */
    String dirPath();

    /** What the holder wrote into the lock: who holds it and why. */
    String contents();

    /**
     * Confirms the lock is still held.
     *
     * @throws TopoException {@code LOCK_LOST} if the lease expired or the lock was released;
     *     {@code UNAVAILABLE} if the backend cannot be asked
     */
    void check() throws TopoException;

    /**
     * Releases the lock. Idempotent: unlocking a released or lost lock does nothing.
     *
     * @throws TopoException {@code UNAVAILABLE} if the backend could not be told (the lease then expires by itself)
     */
    void unlock() throws TopoException;

    @Override
    void close() throws TopoException;
}
