package io.mutexify.embedded.campaign;

/**
 * How big and how long a campaign is. Each setting is a system property ({@code -Dcampaign.seconds=600}
 * on the Maven command line reaches the test JVM) or else an environment variable
 * ({@code FAULT_CAMPAIGN_SECONDS=600}); the defaults are the bounded run {@code ./test.sh} makes.
 *
 * @param seconds   how long clients run under faults (default 60)
 * @param clients   client threads (default 16)
 * @param hotSlots  slots most operations go to (default 4)
 * @param coldSlots slots the rest spread over (default 12)
 * @param seed      the random seed of every choice clients and faults make (default: a fresh one, printed)
 */
public record CampaignSettings(int seconds, int clients, int hotSlots, int coldSlots, long seed) {

    public static CampaignSettings fromEnvironment() {
        return new CampaignSettings(
                (int) setting("seconds", 60),
                (int) setting("clients", 16),
                (int) setting("hotSlots", 4),
                (int) setting("coldSlots", 12),
                setting("seed", System.nanoTime()));
    }

    private static long setting(String name, long fallback) {
        String value = System.getProperty("campaign." + name);
        if (value == null || value.isBlank()) {
            value = System.getenv("FAULT_CAMPAIGN_" + name.replaceAll("([A-Z])", "_$1").toUpperCase(java.util.Locale.ROOT));
        }
        if (value == null || value.isBlank()) {
            return fallback;
        }
        try {
            return Long.parseLong(value.trim());
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException("campaign." + name + " must be a whole number, not '" + value + "'", e);
        }
    }
}
