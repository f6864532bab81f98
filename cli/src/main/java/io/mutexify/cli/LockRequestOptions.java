package io.mutexify.cli;

import io.mutexify.client.LockRequest;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import picocli.CommandLine.Option;

/** What a lock request names besides its times, shared by acquire and run: the slot, the owner, metadata and the unit. */
final class LockRequestOptions {
    @Option(names = "--slot", paramLabel = "SLOT", required = true, description = "The slot to lock.")
    String slot;

    @Option(names = "--owner", paramLabel = "LABEL", defaultValue = "${env:MUTEXIFY_OWNER}",
            description = "Owner label (host, job id); env MUTEXIFY_OWNER (default: host:pid).")
    String owner;

    @Option(names = "--metadata", paramLabel = "TEXT", description = "Free text to attach; repeatable.")
    List<String> metadata = new ArrayList<>();

    @Option(names = "--unit", paramLabel = "UNIT",
            description = "On a pool with named units, the one unit to lock (default: any free unit).")
    String unit;

    /** The request for these options with the command's own TTL and wait. */
    LockRequest request(Duration ttl, Duration wait) {
        return LockRequest.of(slot, ttl).withWait(wait).withMetadata(metadata).withOwner(owner).withUnit(unit);
    }
}
