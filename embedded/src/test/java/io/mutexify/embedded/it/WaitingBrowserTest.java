package io.mutexify.embedded.it;

import static org.assertj.core.api.Assertions.assertThat;

import io.mutexify.frontface.ui.Browser;
import java.nio.file.Files;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;
import org.openqa.selenium.By;
import org.openqa.selenium.StaleElementReferenceException;
import org.openqa.selenium.WebElement;
import org.openqa.selenium.support.ui.WebDriverWait;

/**
 * The UI never shows a wrong state, and waiting is visible: a handoff shows in the releaser's tab,
 * a holder's second tab can release, a waiter sees its place and countdowns and can cancel, the
 * history timeline and the sortable table render, and the pages fit a phone.
 */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class WaitingBrowserTest extends WithSignInServer {
    private static final String ALICE = "alice@example.com";
    private static final String BOB = "bob@example.com";

    private TestHttp aliceApi;
    private TestHttp bobApi;
    private Browser alice;
    private Browser aliceTab2;
    private Browser bob;

    @BeforeAll
    void slotsAndBrowsers() {
        aliceApi = server.as(SignIn.dev(server, ALICE));
        bobApi = server.as(SignIn.dev(server, BOB));
        for (String id : List.of("env-a", "env-b", "env-c")) {
            assertThat(aliceApi.post("/api/v1/slots", "{\"id\":\"" + id + "\",\"members\":[\"" + BOB + "\"]}").status()).isEqualTo(201);
        }
        alice = openBrowser().signIn(ALICE);
        aliceTab2 = openBrowser().signIn(ALICE);
        bob = openBrowser().signIn(BOB);
    }

    @AfterAll
    void closeBrowsers() {
        CloseAll.of(alice, aliceTab2, bob);
    }

    @Test
    @Order(1)
    void theReleasersTabShowsTheNewHolderWithinTwoSecondsOfAHandoff() throws Exception {
        alice.go("/slots/env-a");
        alice.waitForText("#slot-badge", "Free");
        alice.type("#claim-timeout", "5m");
        alice.click("#claim");
        alice.waitForText("#slot-badge", "Held by you");
        CompletableFuture<TestHttp.Res> bobWaits = CompletableFuture.supplyAsync(
                () -> bobApi.post("/api/v1/locks/env-a", "{\"wait\":30,\"owner\":\"job-4711\",\"timeout\":300}"));
        alice.waitForText("#waiters", BOB);

        long clicked = System.nanoTime();
        alice.click("#release");
        new WebDriverWait(alice.driver, Duration.ofSeconds(2)).ignoring(StaleElementReferenceException.class)
                .until(d -> d.findElement(By.id("slot-badge")).getText().equals("Held")
                        && d.findElement(By.id("slot-state")).getText().contains("job-4711 (" + BOB + ")")
                        && d.findElement(By.id("waiters")).getText().contains("Nobody is waiting"));
        long tookMs = (System.nanoTime() - clicked) / 1_000_000;
        assertThat(alice.driver.findElement(By.id("slot-badge")).getText()).isEqualTo("Held");
        assertThat(alice.driver.findElement(By.id("claim-form")).isDisplayed()).isTrue();
        assertThat(alice.driver.findElement(By.id("claim")).getText()).isEqualTo("Wait in line / claim");
        assertThat(bobWaits.get(10, TimeUnit.SECONDS).status()).isEqualTo(200);
        System.out.printf("the releaser's tab showed the new holder %d ms after Release%n", tookMs);
        // The new holder sees whose lock it is in its own words.
        bob.go("/slots/env-a");
        bob.waitForText("#slot-badge", "Held by you (owner job-4711)");
        bob.visible("#mine-form #release");
    }

    @Test
    @Order(2)
    void aSecondTabOfTheHolderOffersReleaseAndItWorks() {
        alice.go("/slots/env-b");
        alice.waitForText("#slot-badge", "Free");
        alice.click("#claim");
        alice.waitForText("#slot-badge", "Held by you");

        aliceTab2.go("/slots/env-b");
        aliceTab2.waitForText("#slot-badge", "Held by you");
        aliceTab2.visible("#mine-form #release");
        assertThat(aliceTab2.driver.findElement(By.id("claim-form")).isDisplayed()).as("never 'wait in line' behind yourself").isFalse();
        aliceTab2.click("#release");
        aliceTab2.waitForText("#slot-badge", "Free");
        alice.waitForText("#slot-badge", "Free");
        assertThat(aliceApi.get("/api/v1/locks/env-b").status()).isEqualTo(404);
    }

    @Test
    @Order(3)
    void aWaiterSeesItsPlaceAndCountdownsAndCanCancel() {
        assertThat(aliceApi.post("/api/v1/locks/env-c", "{\"owner\":\"deploy-7\",\"timeout\":600}").status()).isEqualTo(200);
        bob.go("/slots/env-c");
        bob.waitForText("#slot-badge", "Held");
        bob.type("#claim-wait", "2m");
        bob.click("#claim");
        bob.waitForText("#wait-place", "You are #1 in line");
        WebElement left = bob.visible("#wait-left .countdown");
        String first = left.getText();
        assertThat(first).matches("1m \\d\\ds left|2m 00s left");
        new WebDriverWait(bob.driver, Duration.ofSeconds(3)).until(d -> !left.getText().equals(first));
        assertThat(bob.visible("#holder-left .countdown").getText()).matches("(9|10)m \\d\\ds left");
        assertThat(aliceApi.get("/api/v1/slots/env-c").json().get("waiting").asInt()).isEqualTo(1);

        bob.click("#cancel-wait");
        bob.wait.until(d -> bob.flash().contains("You left the line"));
        new WebDriverWait(bob.driver, Duration.ofSeconds(5))
                .until(d -> aliceApi.get("/api/v1/slots/env-c").json().get("waiting").asInt() == 0);
        assertThat(bob.driver.findElement(By.id("waiting")).isDisplayed()).isFalse();
    }

    @Test
    @Order(4)
    void theHistoryTimelineAndTheSortableTableRender() {
        alice.go("/slots/env-a");
        WebElement bars = alice.visible("#timeline");
        List<WebElement> drawn = bars.findElements(By.cssSelector(".bar"));
        assertThat(drawn).extracting(b -> b.getAttribute("data-ended")).contains("released", "current");
        assertThat(alice.visible("#slot-state .drain").getAttribute("aria-valuenow")).isNotBlank();
        assertThat(alice.visible("#history time").getAttribute("title")).isNotBlank(); // the exact time on hover

        alice.go("/");
        alice.visible("#slot-table");
        alice.click("#slot-table button[data-sort='holder']");
        alice.wait.until(d -> !d.findElements(By.cssSelector("th[aria-sort='ascending'] button[data-sort='holder']")).isEmpty());
        List<String> asc = rowIds();
        alice.click("#slot-table button[data-sort='holder']");
        alice.wait.until(d -> !d.findElements(By.cssSelector("th[aria-sort='descending'] button[data-sort='holder']")).isEmpty());
        List<String> desc = new java.util.ArrayList<>(asc);
        java.util.Collections.reverse(desc);
        assertThat(rowIds()).isEqualTo(desc);
        alice.click("#view-cards");
        alice.visible("li.slot[data-slot='env-a']");
        alice.click("#view-table");
        alice.visible("#slot-table");
    }

    private List<String> rowIds() {
        return alice.driver.findElements(By.cssSelector("#slot-table tr.slot")).stream().map(r -> r.getAttribute("data-slot")).toList();
    }

    @Test
    @Order(5)
    void listSlotAndKeysFitAPhone() throws Exception {
        bob.size(390, 844);
        try {
            for (String[] page : new String[][] {{"/", "#slot-table"}, {"/slots/env-a", "#slot-state"}, {"/keys", "#key-form"}}) {
                bob.go(page[0]);
                bob.visible(page[1]);
                if (page[0].equals("/keys")) {
                    bob.type("#key-name", "phone-check");
                    bob.click("#create-key");
                    bob.visible("#keys-table");
                }
                Number scroll = (Number) bob.driver.executeScript("return document.documentElement.scrollWidth");
                assertThat(scroll.intValue()).as("no sideways scrolling on %s", page[0]).isLessThanOrEqualTo(390);
                String name = "phone-" + (page[0].equals("/") ? "list" : page[0].startsWith("/slots") ? "slot" : "keys") + ".png";
                assertThat(Files.size(bob.screenshot(name))).isPositive();
            }
        } finally {
            bob.size(1280, 900);
        }
    }
}
