package io.mutexify.azure.cosmos;

/** Opens azure-adapters' Cosmos DB test server fixture (package-private there) to the wired tests. */
public final class CosmosFixture {
    private CosmosFixture() {
    }

    /** Settings of a database of its own; only inside a class extended with {@link CosmosTestServer}. */
    public static CosmosSettings freshSettings() {
        return CosmosTestServer.get().freshSettings();
    }

    /** A store on {@code settings}, on the run's shared client (so closing the store keeps the client). */
    public static CosmosSlotStore open(CosmosSettings settings) {
        return CosmosSlotStore.open(CosmosTestServer.get().client(), settings);
    }
}
