package io.mutexify.client;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/** The slot calls of the API: list, read, watch, register, delete, and break (whole slot or one pool unit). */
record SlotCalls(Transport transport) {
    private static final Duration MAX_WATCH = Duration.ofMinutes(5);

    /** The largest page of the slot list the server answers. */
    static final int MAX_PAGE = 1000;

    List<SlotInfo> slots() {
        List<SlotInfo> out = new ArrayList<>();
        String after = null;
        do {
            SlotPage page = page(MAX_PAGE, after);
            out.addAll(page.slots());
            after = page.next();
        } while (after != null);
        return out;
    }

    SlotPage page(int limit, String after) {
        if (limit < 1 || limit > MAX_PAGE) {
            throw new IllegalArgumentException("limit must be from 1 to " + MAX_PAGE + ": " + limit);
        }
        String path = "/api/v1/slots?limit=" + limit + (after == null ? "" : "&after=" + Wire.slot(after));
        Transport.Response r = transport.call(Transport.Call.get(path), transport.requestTimeout());
        if (r.status() != 200) {
            throw Transport.errorFor(r, null);
        }
        Wire.SlotList list = r.read(Wire.SlotList.class);
        return new SlotPage(list.slots(), list.next());
    }

    SlotInfo slot(String id) {
        return slotAnswer(id, transport.call(Transport.Call.get("/api/v1/slots/" + Wire.slot(id)), transport.requestTimeout()));
    }

    SlotInfo watch(String id, long index, Duration wait) {
        if (index < 0 || wait.isNegative() || wait.compareTo(MAX_WATCH) > 0) {
            throw new IllegalArgumentException("index must be >= 0 and wait from 0 to 5 minutes");
        }
        String path = "/api/v1/slots/" + Wire.slot(id) + "?index=" + index + "&wait=" + wait.toMillis() + "ms";
        return slotAnswer(id, transport.call(Transport.Call.get(path), transport.requestTimeout().plus(wait)));
    }

    SlotInfo createSlot(SlotSpec spec) {
        Wire.slot(spec.id());
        Transport.Response r = transport.call(new Transport.Call("POST", "/api/v1/slots", spec, Transport.newKey()),
                transport.requestTimeout());
        if (r.status() != 201) {
            throw Transport.errorFor(r, spec.id());
        }
        return r.read(SlotInfo.class);
    }

    void deleteSlot(String id) {
        Transport.Response r = transport.call(new Transport.Call("DELETE", "/api/v1/slots/" + Wire.slot(id), null,
                Transport.newKey()), transport.requestTimeout());
        if (r.status() != 204) {
            throw Transport.errorFor(r, id);
        }
    }

    /** Breaks the hold of {@code unit} of a pool, or every hold of {@code slot} when it is null. */
    LockInfo breakUnit(String slot, String unit, String reason) {
        Transport.Response r = transport.call(new Transport.Call("POST", "/api/v1/slots/" + Wire.slot(slot) + "/break",
                new Wire.BreakBody(reason, unit), Transport.newKey()), transport.requestTimeout());
        if (r.status() != 200) {
            throw Transport.errorFor(r, slot);
        }
        return r.read(LockInfo.class);
    }

    private static SlotInfo slotAnswer(String id, Transport.Response r) {
        if (r.status() != 200) {
            throw Transport.errorFor(r, id);
        }
        SlotInfo s = r.read(SlotInfo.class);
        Optional<String> index = r.header("X-Mutexify-Index");
        if (index.isPresent()) {
            long v = Long.parseLong(index.get().trim());
            if (v != s.version()) {
                s = s.withVersion(v);
            }
        }
        return s;
    }
}
