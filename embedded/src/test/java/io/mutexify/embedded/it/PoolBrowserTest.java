package io.mutexify.embedded.it;

import static org.assertj.core.api.Assertions.assertThat;

import io.mutexify.frontface.ui.Browser;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.openqa.selenium.By;

/**
 * A pool in the web UI, in headless Chromium: registered with named units, shown as its units with
 * their holders, claimed with "Claim any" and by unit, and summed up in the slot list.
 */
class PoolBrowserTest extends WithSignInServer {
    private static final String ALICE = "alice@example.com";

    private Browser alice;

    @BeforeAll
    void openBrowsers() {
        alice = openBrowser();
    }

    @AfterAll
    void closeBrowsers() {
        CloseAll.of(alice);
    }

    @Test
    void aPoolShowsItsUnitsAndClaimsAnyOrOne() {
        alice.signIn(ALICE);
        alice.click("nav a[href='#/new']");
        alice.type("#new-id", "ci-envs");
        alice.type("#new-units", "ci-env-1, ci-env-2, ci-env-3");
        alice.type("#new-lock-delay", "5");
        alice.click("#register");

        alice.waitForText("#pool-units", "0 of 3 held, 3 available");
        alice.waitForText("#pool-units", "Lock-delay");
        // Someone else holds ci-env-1, taken over the API: the page shows who.
        TestHttp api = server.as(SignIn.dev(server, ALICE));
        assertThat(api.post("/api/v1/locks/ci-envs", "{\"owner\":\"pipeline-7\",\"unit\":\"ci-env-1\"}").status()).isEqualTo(200);
        alice.waitForText("#pool-units li[data-unit='ci-env-1']", "pipeline-7");

        assertThat(alice.visible("#claim").getText()).isEqualTo("Claim any");
        alice.click("#claim");
        alice.waitForText("#pool-units li[data-unit='ci-env-2']", "Held by you");
        assertThat(alice.flash()).contains("unit ci-env-2");
        alice.waitForText("#pool-units", "2 of 3 held, 1 available");
        alice.waitForText("#mine-text", "You hold unit ci-env-2 of this pool.");
        alice.waitForText("#history", "(ci-env-1)");
        alice.waitForText("#history", "(ci-env-2)");
        alice.size(1100, 1400);
        alice.screenshot("pool.png");

        alice.click("#release");
        alice.waitForText("#pool-units", "1 of 3 held, 2 available");
        alice.click("#pool-units button[data-unit='ci-env-3']");
        alice.waitForText("#pool-units li[data-unit='ci-env-3']", "Held by you");

        alice.click("a[href='#/']");
        alice.waitForText(".slot[data-slot='ci-envs']", "2 of 3 held");
        assertThat(alice.driver.findElement(By.cssSelector(".slot[data-slot='ci-envs']")).getText())
                .contains("1 available");
    }
}
