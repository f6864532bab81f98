package io.mutexify.embedded.campaign;

import io.mutexify.frontface.dispatch.RequestIds;
import java.net.Socket;
import java.time.Duration;
import java.time.Instant;
import java.util.Collection;
import java.util.List;
import java.util.Random;
import java.util.function.BooleanSupplier;

/**
 * One client: acquires a slot (mostly a hot one; sometimes waiting in line, some waits hedged),
 * holds it for a while — extending it, releasing it, or abandoning it to expire — and goes again.
 * Every operation goes into the shared history before it is first sent.
 */
final class CampaignClient implements Runnable {
    /** Open mode: every caller is this principal, and request ids are derived from it. */
    static final String PRINCIPAL = "anonymous";

    private final int id;
    private final List<String> hot;
    private final List<String> cold;
    private final CampaignHttp http;
    private final KeyedCalls calls;
    private final Collection<Op> history;
    private final BooleanSupplier running;
    private final Random random;
    private int n;

    CampaignClient(int id, List<String> hot, List<String> cold, CampaignHttp http, KeyedCalls calls,
                   Collection<Op> history, BooleanSupplier running, long seed) {
        this.id = id;
        this.hot = hot;
        this.cold = cold;
        this.http = http;
        this.calls = calls;
        this.history = history;
        this.running = running;
        this.random = new Random(seed);
    }

    @Override
    public void run() {
        try {
            while (running.getAsBoolean()) {
                cycle();
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    private void cycle() throws InterruptedException {
        String slot = random.nextInt(4) > 0 ? pick(hot) : pick(cold);
        String owner = String.format("c%02d-%d", id, n++);
        int wait = random.nextInt(100) < 45 ? 1 + random.nextInt(3) : 0;
        int ttl = 2 + random.nextInt(3);
        String path = "/api/v1/locks/" + slot;
        String body = "{\"owner\":\"" + owner + "\",\"timeout\":" + ttl + ",\"wait\":" + wait + "}";
        Op acquire = op(Op.Kind.ACQUIRE, slot, owner + "-acquire", "POST", path, owner, null);
        Hedge hedge = null;
        int roll = random.nextInt(100);
        // Some waiting clients are impatient: each call gives up before the wait ends and is sent again under the key.
        Duration timeout = wait > 0 && roll < 30 ? Duration.ofMillis(500 + random.nextInt(1000)) : KeyedCalls.patient(wait);
        acquire.style = wait == 0 ? "now" : roll < 30 ? "impatient" : "patient";
        if (wait > 0 && roll >= 65) {
            long sent = System.nanoTime();
            Socket first = http.sendAndLeaveOpen(path, body, acquire.key);
            if (first != null) {
                hedge = new Hedge(first, sent);
                acquire.style = "hedged";
                Thread.sleep(200 + random.nextInt(600));
            }
        }
        calls.run(acquire, "POST", path, body, wait, timeout, hedge, random);
        Attempt answer = acquire.answer().orElse(null);
        if (answer != null && answer.status() == 200) {
            hold(slot, owner, answer);
        } else {
            Thread.sleep(20 + random.nextInt(200));
        }
    }

    /** Holds a granted lock: abandon it (it expires), or keep it a while, maybe extending, then release. */
    private void hold(String slot, String owner, Attempt grant) throws InterruptedException {
        Instant expireAt = grant.expireAt();
        int plan = random.nextInt(100);
        if (plan < 20 || !running.getAsBoolean()) {
            return;
        }
        String lockPath = "/api/v1/locks/" + slot + "/" + grant.token();
        if (plan < 55) {
            for (int i = 0; i < 1 + random.nextInt(2) && running.getAsBoolean(); i++) {
                if (!sleepWithin(expireAt, 200 + random.nextInt(800))) {
                    return;
                }
                Op extend = op(Op.Kind.EXTEND, slot, owner + "-extend-" + i, "PUT", lockPath, null, grant.token());
                String ttl = "{\"timeout\":" + (3 + random.nextInt(3)) + "}";
                calls.run(extend, "PUT", lockPath, ttl, 0, KeyedCalls.patient(0), null, random);
                Attempt a = extend.answer().orElse(null);
                if (a == null || a.status() != 200) {
                    return; // lost it, or cannot tell: a careful client stops using the lock
                }
                expireAt = a.expireAt();
            }
        }
        if (sleepWithin(expireAt, 100 + random.nextInt(1200)) && running.getAsBoolean()) {
            Op release = op(Op.Kind.RELEASE, slot, owner + "-release", "DELETE", lockPath, null, grant.token());
            calls.run(release, "DELETE", lockPath, null, 0, KeyedCalls.patient(0), null, random);
        }
    }

    /** Sleeps {@code millis}, cut short to end 300 ms before {@code expireAt}; false if no time was left. */
    private static boolean sleepWithin(Instant expireAt, long millis) throws InterruptedException {
        long left = Duration.between(Instant.now(), expireAt).toMillis() - 300;
        if (left <= 0) {
            return false;
        }
        Thread.sleep(Math.min(millis, left));
        return true;
    }

    private Op op(Op.Kind kind, String slot, String key, String method, String path, String owner, String token) {
        Op op = new Op(kind, id, slot, key, RequestIds.forCall(key, PRINCIPAL, method, path), owner, token);
        history.add(op);
        return op;
    }

    private String pick(List<String> slots) {
        return slots.get(random.nextInt(slots.size()));
    }
}
