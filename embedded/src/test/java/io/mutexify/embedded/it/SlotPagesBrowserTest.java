package io.mutexify.embedded.it;

import static org.assertj.core.api.Assertions.assertThat;

import io.mutexify.frontface.ui.Browser;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.openqa.selenium.By;

/** The web UI's slot list in pages: the first hundred, "Show more" for the rest, kept in view as slots change. */
class SlotPagesBrowserTest {
    private static final String CAROL = "carol@example.com";

    @Test
    void theListShowsAPageAndShowMoreReadsTheNextOne(@TempDir Path dir) {
        TestServer server = TestServer.start(dir, Map.of("MUTEXIFY_AUTH", "signin", "MUTEXIFY_DEV_SIGNIN", "true"));
        Browser carol = null;
        try {
            TestHttp api = server.as(SignIn.dev(server, CAROL));
            for (int i = 0; i < 105; i++) {
                assertThat(api.post("/api/v1/slots", "{\"id\":\"" + String.format("env-%03d", i) + "\"}").status()).isEqualTo(201);
            }
            carol = Browser.open(server.url().resolve("/"));
            carol.signIn(CAROL);
            carol.waitForText("#slot-count", "100 of 100 slots loaded");
            assertThat(carol.driver.findElements(By.cssSelector("#slot-list [data-slot='env-104']"))).isEmpty();

            carol.click("#show-more");
            carol.waitForText("#slot-count", "105 of 105 slots");
            assertThat(carol.driver.findElements(By.id("show-more"))).as("no more pages").isEmpty();
            assertThat(carol.driver.findElements(By.cssSelector("#slot-list [data-slot='env-104']"))).hasSize(1);

            // A change redraws the list from the watch: the page asked for stays in view.
            assertThat(api.post("/api/v1/slots", "{\"id\":\"env-105\"}").status()).isEqualTo(201);
            carol.waitForText("#slot-count", "106 of 106 slots");
        } finally {
            CloseAll.of(carol, server);
        }
    }
}
