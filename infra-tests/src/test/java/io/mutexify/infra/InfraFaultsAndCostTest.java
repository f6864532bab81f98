package io.mutexify.infra;

import static org.assertj.core.api.Assertions.assertThat;

import io.mutexify.infra.BicepFile.Node;
import io.mutexify.infra.BicepFile.Resource;
import org.junit.jupiter.api.Test;

/**
 * What the Azure path's guarantees and its cost rest on in infra/: GA API versions only, a container
 * whose documents can expire, Strong reads on a single region, events that are dead-lettered rather
 * than dropped, and alerts on Cosmos DB throttling and on Frontface errors and latency.
 */
class InfraFaultsAndCostTest {
    private static final String COSMOS_STORE = "azure-adapters/src/main/java/io/mutexify/azure/cosmos/CosmosSlotStore.java";
    private static final String COSMOS_CLIENTS = "azure-adapters/src/main/java/io/mutexify/azure/cosmos/CosmosClients.java";

    private final BicepFile bicep = Repo.mainBicep();

    @Test
    void everyResourceUsesAGaApiVersion() {
        for (Resource r : bicep.resources()) {
            assertThat(r.apiVersion()).as(r.symbol() + " " + r.type()).matches("\\d{4}-\\d{2}-\\d{2}");
        }
        assertThat(bicep.raw()).doesNotContain("-preview");
    }

    @Test
    void theContainerHasTtlOnWithNothingExpiringByDefault() {
        Node resource = bicep.resource("cosmosContainer").body().get("properties.resource");
        assertThat(resource.get("defaultTtl").text()).isEqualTo("-1");
        // The store creates a missing container the same way, and relies on it to skip the listing prune.
        assertThat(Repo.read(COSMOS_STORE)).contains("setDefaultTimeToLiveInSeconds(-1)")
                .contains("getDefaultTimeToLiveInSeconds()");
    }

    @Test
    void readsAreStrongOnASingleRegionAccount() {
        Node props = bicep.resource("cosmos").body().get("properties");
        assertThat(props.get("consistencyPolicy.defaultConsistencyLevel").literal()).isEqualTo("Strong");
        assertThat(props.get("locations").elements()).hasSize(1);
        assertThat(Repo.read(COSMOS_CLIENTS)).contains("CONSISTENCY = ConsistencyLevel.STRONG")
                .contains(".consistencyLevel(CONSISTENCY)");
    }

    @Test
    void theEventSubscriptionDeadLettersToABlobContainer() {
        Node props = bicep.resource("webhookSubscription").body().get("properties");
        Node dead = props.get("deadLetterDestination");
        assertThat(dead.get("endpointType").literal()).isEqualTo("StorageBlob");
        assertThat(dead.get("properties.resourceId").text()).isEqualTo("storage.id");
        Resource container = bicep.resource("eventDeadLetters");
        assertThat(container.type()).isEqualTo("Microsoft.Storage/storageAccounts/blobServices/containers");
        assertThat(dead.get("properties.blobContainerName").text()).isEqualTo(container.body().get("name").text());
        assertThat(bicep.resource("storageBlobs").body().get("parent").text()).isEqualTo("storage");
        assertThat(container.body().get("parent").text()).isEqualTo("storageBlobs");
    }

    @Test
    void cosmosThrottlingRaisesAnAlert() {
        Resource alert = metricAlert("TotalRequests");
        assertThat(alert.body().get("properties.scopes").elements()).extracting(Node::text).containsExactly("cosmos.id");
        Node criterion = alert.body().get("properties.criteria.allOf").elements().get(0);
        assertThat(criterion.get("metricNamespace").literal()).isEqualTo("Microsoft.DocumentDB/databaseAccounts");
        Node dimension = criterion.get("dimensions").elements().get(0);
        assertThat(dimension.get("name").literal()).isEqualTo("StatusCode");
        assertThat(dimension.get("values").elements()).extracting(Node::literal).containsExactly("429");
        assertThat(criterion.get("threshold").text()).isEqualTo("0");
    }

    @Test
    void frontfaceErrorsAndLatencyRaiseAlerts() {
        Resource errors = metricAlert("Http5xx");
        assertThat(errors.body().get("properties.scopes").elements()).extracting(Node::text)
                .containsExactly("frontfaceApp.id");
        Resource latency = bicep.resource("frontfaceLatencyAlert");
        assertThat(latency.type()).isEqualTo("Microsoft.Insights/scheduledQueryRules");
        assertThat(latency.body().get("properties.scopes").elements()).extracting(Node::text).containsExactly("insights.id");
        String query = latency.body().get("properties.criteria.allOf").elements().get(0).get("query").text();
        assertThat(query).contains("requests").contains("${frontfaceName}").contains("percentile(duration, 95)")
                .contains("${frontfaceLatencyAlertMs}");
        assertThat(bicep.params()).containsKey("frontfaceLatencyAlertMs");
    }

    private Resource metricAlert(String metric) {
        for (Resource r : bicep.resourcesOfType("Microsoft.Insights/metricAlerts")) {
            for (Node criterion : r.body().get("properties.criteria.allOf").elements()) {
                if (criterion.get("metricName").literal().equals(metric)) {
                    return r;
                }
            }
        }
        throw new AssertionError("no metric alert on " + metric);
    }
}
