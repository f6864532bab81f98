package io.mutexify.azure.cosmos;

import com.azure.cosmos.CosmosAsyncClient;
import com.azure.cosmos.CosmosClientBuilder;
import com.azure.cosmos.ConsistencyLevel;
import com.azure.cosmos.ThrottlingRetryOptions;
import com.azure.identity.DefaultAzureCredentialBuilder;
import java.time.Duration;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** Builds the Cosmos DB client the store uses. */
public final class CosmosClients {
    private static final Logger LOG = LoggerFactory.getLogger(CosmosClients.class);
    /** The SDK retries throttled (429) requests itself, honouring the server's retry-after, this often... */
    static final int THROTTLE_RETRIES = 9;
    /** ...and for at most this long in all, before the store's own bounded retry sees the 429. */
    static final Duration THROTTLE_WAIT = Duration.ofSeconds(30);

    private CosmosClients() {
    }

    /**
     * Every read is Strong. The Frontface and the Lockkeeper are different function apps with
     * different clients, so Session consistency (a client sees its own writes only) would let the
     * Frontface read a replica that lags the Lockkeeper's commit: a just-granted token would answer
     * 404. The account is single-region with default consistency Strong (infra/main.bicep); asking
     * for Strong here makes a weaker account fail loudly instead of answering stale reads.
     */
    public static final ConsistencyLevel CONSISTENCY = ConsistencyLevel.STRONG;

    /**
     * A client in gateway mode (plain HTTPS on 443: works from Functions behind any firewall, and
     * against the emulator). With an account key it signs requests with the key; without one it uses
     * {@code DefaultAzureCredential}, i.e. the managed identity on Azure. Endpoint discovery is off
     * for a local endpoint only.
     */
    public static CosmosAsyncClient build(CosmosSettings settings) {
        LOG.info("connecting to Cosmos DB: {}", settings); // toString() leaves the key out
        return builder(settings).buildAsyncClient();
    }

    static CosmosClientBuilder builder(CosmosSettings settings) {
        CosmosClientBuilder builder = new CosmosClientBuilder()
                .endpoint(settings.endpoint())
                .consistencyLevel(CONSISTENCY)
                .gatewayMode()
                .endpointDiscoveryEnabled(!settings.isLocal())
                .contentResponseOnWriteEnabled(false)
                .throttlingRetryOptions(new ThrottlingRetryOptions()
                        .setMaxRetryAttemptsOnThrottledRequests(THROTTLE_RETRIES)
                        .setMaxRetryWaitTime(THROTTLE_WAIT))
                .userAgentSuffix("mutexify");
        if (settings.usesKey()) {
            builder.key(settings.key());
        } else {
            builder.credential(new DefaultAzureCredentialBuilder().build());
        }
        return builder;
    }
}
