package io.mutexify.infra;

import static org.assertj.core.api.Assertions.assertThat;

import io.mutexify.infra.BicepFile.Node;
import io.mutexify.infra.BicepFile.Resource;
import io.mutexify.infra.Repo.App;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

/** Event Grid takes CloudEvents 1.0; Application Insights, alerts and the workbook match what the code emits. */
class InfraEventsAndMonitoringTest {
    private static final String EVENT_TYPES = "shared-model/src/main/java/io/mutexify/model/event/EventType.java";
    private static final String TELEMETRY = "lockkeeper/src/main/java/io/mutexify/lockkeeper/LockkeeperTelemetry.java";

    private final BicepFile bicep = Repo.mainBicep();

    @Test
    void theTopicTakesCloudEventsAndTheLockkeeperPublishesToIt() {
        Resource topic = bicep.resource("topic");
        assertThat(topic.type()).isEqualTo("Microsoft.EventGrid/topics");
        assertThat(topic.body().get("properties.inputSchema").literal()).isEqualTo("CloudEventSchemaV1_0");
        assertThat(InfraAppSettingsTest.appSettings(App.LOCKKEEPER).get("EVENTGRID_ENDPOINT"))
                .isEqualTo("topic.properties.endpoint");
    }

    @Test
    void theWebhookSubscriptionExistsOnlyWhenAUrlIsGiven() {
        List<Resource> subs = bicep.resourcesOfType("Microsoft.EventGrid/topics/eventSubscriptions");
        assertThat(subs).hasSize(1);
        Resource sub = subs.get(0);
        Node url = sub.body().get("properties.destination.properties.endpointUrl");
        assertThat(bicep.params()).containsKey(url.text());
        assertThat(bicep.params().get(url.text()).defaultLiteral()).isEmpty();
        assertThat(sub.condition()).isEqualTo("!empty(" + url.text() + ")");
        assertThat(sub.body().get("parent").text()).isEqualTo("topic");
        assertThat(sub.body().get("properties.eventDeliverySchema").literal()).isEqualTo("CloudEventSchemaV1_0");
        assertThat(sub.body().get("properties.destination.endpointType").literal()).isEqualTo("WebHook");
    }

    @Test
    void applicationInsightsIsWorkspaceBasedAndBothAppsSendToIt() {
        Resource insights = bicep.resource("insights");
        assertThat(insights.type()).isEqualTo("Microsoft.Insights/components");
        String workspace = insights.body().get("properties.WorkspaceResourceId").text();
        assertThat(workspace).isEqualTo("workspace.id");
        assertThat(bicep.resource("workspace").type()).isEqualTo("Microsoft.OperationalInsights/workspaces");
        for (App app : App.values()) {
            assertThat(InfraAppSettingsTest.appSettings(app).get("APPLICATIONINSIGHTS_CONNECTION_STRING"))
                    .startsWith("insights.");
        }
    }

    @Test
    void deadLettersOnTheRequestQueueRaiseAnAlert() {
        assertThat(metricAlertOn("DeadletteredMessages").get("dimensions").elements().get(0).get("values").elements())
                .extracting(Node::text).containsExactly(bicep.resource("requestQueue").body().get("name").text());
    }

    @Test
    void aBacklogOnTheRequestQueueRaisesAnAlert() {
        assertThat(metricAlertOn("ActiveMessages").get("dimensions").elements().get(0).get("values").elements())
                .extracting(Node::text).containsExactly(bicep.resource("requestQueue").body().get("name").text());
    }

    private Node metricAlertOn(String metric) {
        for (Resource r : bicep.resourcesOfType("Microsoft.Insights/metricAlerts")) {
            for (Node criterion : r.body().get("properties.criteria.allOf").elements()) {
                if (criterion.get("metricName").literal().equals(metric)) {
                    assertThat(r.body().get("properties.scopes").elements()).extracting(Node::text)
                            .containsExactly("serviceBus.id");
                    assertThat(criterion.get("dimensions").elements().get(0).get("name").literal()).isEqualTo("EntityName");
                    return criterion;
                }
            }
        }
        throw new AssertionError("no metric alert on " + metric);
    }

    @Test
    void lockkeeperFailuresRaiseAnAlert() {
        List<Resource> rules = bicep.resourcesOfType("Microsoft.Insights/scheduledQueryRules");
        assertThat(rules).anySatisfy(r -> {
            assertThat(r.body().get("properties.scopes").elements()).extracting(Node::text).containsExactly("insights.id");
            String query = r.body().get("properties.criteria.allOf").elements().get(0).get("query").text();
            assertThat(query).contains("requests").contains("success == false").contains("${lockkeeperName}");
        });
        // cloud_RoleName is the site's name
        assertThat(bicep.resource(App.LOCKKEEPER.bicepSymbol).body().get("name").text()).isEqualTo("lockkeeperName");
    }

    /** Names the code sends: CloudEvent types as custom events, and the metrics LockkeeperTelemetry tracks. */
    private static Set<String> emittedNames() {
        Set<String> names = new TreeSet<>();
        Matcher events = Pattern.compile("\"(io\\.mutexify\\.[a-z.]+)\"").matcher(Repo.read(EVENT_TYPES));
        while (events.find()) {
            names.add(events.group(1));
        }
        Matcher metrics = Pattern.compile("telemetry\\.metric\\(\"([a-z.]+)\"").matcher(Repo.read(TELEMETRY));
        while (metrics.find()) {
            names.add(metrics.group(1));
        }
        assertThat(Repo.read(TELEMETRY)).contains("telemetry.event(e.type().wireName()");
        return names;
    }

    @Test
    void theWorkbookQueriesOnlyNamesTheCodeEmitsAndShowsLockActivity() {
        Resource workbook = bicep.resource("workbook");
        assertThat(workbook.type()).isEqualTo("Microsoft.Insights/workbooks");
        assertThat(workbook.body().get("properties.sourceId").text()).isEqualTo("insights.id");
        String content = workbook.body().get("properties.serializedData").text();
        assertThat(content).isEqualTo("string(workbookContent)");
        String queries = bicep.variable("workbookContent").text();
        Set<String> emitted = emittedNames();
        assertThat(emitted).contains("io.mutexify.lock.acquired", "io.mutexify.lock.expired", "mutexify.contention",
                "mutexify.hold.seconds");
        Set<String> used = new TreeSet<>();
        Matcher m = Pattern.compile("\"((?:io\\.)?mutexify\\.[a-z.]*)\"").matcher(queries);
        while (m.find()) {
            used.add(m.group(1));
        }
        for (String name : used) {
            if (name.endsWith(".")) {
                assertThat(emitted).as("prefix " + name).anyMatch(e -> e.startsWith(name));
            } else {
                assertThat(emitted).as("the workbook queries " + name + ", which the code never sends").contains(name);
            }
        }
        // acquires, contention, hold times and expiries
        assertThat(used).contains("io.mutexify.lock.acquired", "io.mutexify.lock.expired", "mutexify.contention",
                "mutexify.hold.seconds");
        assertThat(queries).contains("customEvents").contains("customMetrics");
        // the hold-time metric is split by how the hold ended; so is the workbook
        assertThat(Repo.read(TELEMETRY)).contains("\"end\", h.endReason()");
        assertThat(queries).contains("customDimensions.end").contains("customDimensions.slot");
    }
}
