package io.mutexify.embedded.campaign;

import java.util.Random;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * The faults on the server: every 3–7 s either a SIGKILL and restart (at least 5 s and at most
 * 15 s apart) or a SIGSTOP pause of 0.3–2.5 s.
 */
final class Nemesis implements Runnable {
    private final CampaignServer server;
    private final Random random;
    private volatile boolean running = true;
    final AtomicInteger kills = new AtomicInteger();
    final AtomicInteger pauses = new AtomicInteger();
    volatile Throwable failure;

    Nemesis(CampaignServer server, long seed) {
        this.server = server;
        this.random = new Random(seed);
    }

    void stop() {
        running = false;
    }

    @Override
    public void run() {
        long lastKill = System.nanoTime();
        try {
            while (running) {
                sleepWhileRunning(3000 + random.nextInt(4000));
                if (!running) {
                    return;
                }
                long sinceKill = (System.nanoTime() - lastKill) / 1_000_000;
                if (sinceKill >= 5000 && (sinceKill >= 15_000 || random.nextBoolean())) {
                    server.kill();
                    kills.incrementAndGet();
                    server.start();
                    lastKill = System.nanoTime();
                } else {
                    server.pause();
                    pauses.incrementAndGet();
                    Thread.sleep(300 + random.nextInt(2200));
                    server.resume();
                }
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } catch (Exception | AssertionError e) {
            failure = e;
        }
    }

    private void sleepWhileRunning(long millis) throws InterruptedException {
        long end = System.nanoTime() + millis * 1_000_000;
        while (running && System.nanoTime() < end) {
            Thread.sleep(50);
        }
    }
}
