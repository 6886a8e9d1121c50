package io.tessera.topo;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.net.InetAddress;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * What a lock says about its holder, stored as JSON in the lock node so an operator listing the lock directory
 * sees who holds it and why (the same fields Vitess writes).
 *
 * @param action what the holder is doing, e.g. {@code PlannedReparentShard(ks/0)}
 */
public record LockDescriptor(String action, String hostName, String userName, long pid, Instant time) {
    private static final ObjectMapper JSON = new ObjectMapper();

    /** A descriptor for this process, now. */
    public static LockDescriptor forThisProcess(String action) {
        String host;
        try {
            host = InetAddress.getLocalHost().getHostName();
        } catch (java.io.IOException e) {
            host = "unknown";
        }
        return new LockDescriptor(action, host, System.getProperty("user.name", "unknown"),
                ProcessHandle.current().pid(), Instant.now());
    }

    /** The JSON written into the lock node. */
    public String toJson() {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("Action", action);
        m.put("HostName", hostName);
        m.put("UserName", userName);
        m.put("Pid", pid);
        m.put("Time", time.toString());
        try {
            return JSON.writeValueAsString(m);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("cannot encode lock descriptor", e);
        }
    }
}
