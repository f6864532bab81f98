package io.mutexify.embedded.it;

import static org.assertj.core.api.Assertions.assertThat;

import io.mutexify.frontface.ui.Browser;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.openqa.selenium.By;
import org.openqa.selenium.support.ui.ExpectedConditions;

/** The API keys page: a key is created (its secret shown once), works, is listed, and revoked. */
class KeysBrowserTest {
    @TempDir
    Path dir;

    @Test
    void createUseAndRevokeAnApiKey() {
        try (TestServer server = TestServer.start(dir, Map.of("MUTEXIFY_AUTH", "signin", "MUTEXIFY_DEV_SIGNIN", "true"));
             Browser b = Browser.open(server.url().resolve("/"))) {
            b.signIn("dana@example.com");
            b.click("nav a[href='#/keys']");
            b.waitForText("#key-list", "You have no API keys.");
            b.type("#key-name", "ci-deploy");
            b.type("#key-days", "30");
            b.click("#create-key");

            String key = b.visible("#key-secret").getText();
            assertThat(key).startsWith("mtx_");
            b.waitForText("#keys-table", "ci-deploy");
            assertThat(b.driver.findElement(By.id("key-secret-box")).getText()).contains("shown this once");
            assertThat(server.as(key).get("/api/v1/me").json().path("principal").asText()).isEqualTo("dana@example.com");

            b.go("/");
            b.go("/keys");
            b.waitForText("#keys-table", "ci-deploy");
            assertThat(b.driver.findElements(By.id("key-secret"))).as("the secret is never shown again").isEmpty();
            assertThat(b.driver.getPageSource()).doesNotContain(key);

            b.click("#keys-table button[data-key]");
            b.wait.until(ExpectedConditions.alertIsPresent()).accept();
            b.waitForText("#key-list", "You have no API keys.");
            assertThat(b.flash()).contains("Revoked “ci-deploy”");
            assertThat(server.as(key).get("/api/v1/me").status()).isEqualTo(401);
        }
    }
}
