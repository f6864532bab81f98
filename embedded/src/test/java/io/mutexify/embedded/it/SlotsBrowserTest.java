package io.mutexify.embedded.it;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.mutexify.frontface.ui.Browser;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;
import org.openqa.selenium.By;
import org.openqa.selenium.NoAlertPresentException;
import org.openqa.selenium.StaleElementReferenceException;
import org.openqa.selenium.WebElement;
import org.openqa.selenium.support.ui.ExpectedConditions;
import org.openqa.selenium.support.ui.WebDriverWait;

/**
 * The web UI in headless Chromium against a real server with the dev sign-in: Alice registers and
 * claims a slot, Bob (a member) watches it change live in a second browser, the history shows the
 * holds, and text people typed never turns into markup.
 */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class SlotsBrowserTest extends WithSignInServer {
    private static final String ALICE = "alice@example.com";
    private static final String BOB = "bob@example.com";
    private static final String XSS = "<img src=x onerror=alert(1)>";

    private Browser alice;
    private Browser bob;

    @BeforeAll
    void openBrowsers() {
        alice = openBrowser();
        bob = openBrowser();
    }

    @AfterAll
    void closeBrowsers() {
        CloseAll.of(alice, bob);
    }

    @Test
    @Order(1)
    void signInRegisterASlotClaimItAndSeeTheCountdown() {
        alice.signIn(ALICE);
        alice.click("nav a[href='#/new']");
        alice.type("#new-id", "staging");
        alice.type("#new-name", "Staging environment");
        alice.type("#new-description", "The shared staging sandbox");
        alice.type("#new-members", BOB + ", carol@example.com");
        alice.type("#new-default", "600");
        alice.type("#new-max", "7200");
        alice.click("#register");

        alice.waitForText("#slot-title", "Staging environment");
        alice.waitForText("#slot-badge", "Free");
        alice.type("#claim-timeout", "300");
        alice.type("#claim-note", "deploying build 42");
        alice.click("#claim");

        alice.waitForText("#slot-badge", "Held by you");
        alice.waitForText("#slot-state", "deploying build 42");
        WebElement countdown = alice.visible("#slot-state .countdown");
        String first = countdown.getText();
        assertThat(first).matches("[45]m \\d\\ds left");
        // It counts down by itself: the text changes within a couple of seconds, no reload.
        new WebDriverWait(alice.driver, Duration.ofSeconds(3))
                .until(d -> !countdown.getText().equals(first));
        assertThat(alice.flash()).contains("You hold staging with fence 1");
        assertThat(alice.driver.findElement(By.id("mine-form")).isDisplayed()).isTrue();
        assertThat(alice.driver.findElement(By.id("claim-form")).isDisplayed()).as("no claim form while you hold it").isFalse();
        assertThat(alice.driver.findElement(By.id("curl-snippet")).getText())
                .contains("B=" + server.url(), "curl -s -X POST $B/api/v1/locks/staging");
    }

    @Test
    @Order(2)
    void aSecondSessionSeesChangesWithinTwoSecondsWithoutReloading() {
        // Two more slots, registered and claimed over the API, so the list has something to show.
        TestHttp api = server.as(SignIn.dev(server, ALICE));
        assertThat(api.post("/api/v1/slots", "{\"id\":\"ci-runner-1\",\"name\":\"CI runner 1\",\"members\":[\"" + BOB
                + "\"],\"description\":\"Self-hosted runner with the GPU\"}").status()).isEqualTo(201);
        assertThat(api.post("/api/v1/slots", "{\"id\":\"deploy-prod\",\"name\":\"Production deploys\",\"members\":[\"" + BOB
                + "\"]}").status()).isEqualTo(201);
        assertThat(api.post("/api/v1/locks/deploy-prod", "{\"owner\":\"pipeline-881\",\"timeout\":1800,\"metadata\":[\"release 2.3\"]}")
                .status()).isEqualTo(200);
        bob.signIn(BOB);
        String card = ".slot[data-slot='staging']";
        bob.waitForText(card, ALICE);
        bob.waitForText(card, "fence 1");
        bob.wait.until(d -> d.findElement(By.cssSelector(card)).getText().matches("(?s).*Held.*\\dm \\d\\ds left.*"));
        bob.driver.executeScript("window.__sameDocument = 'yes'");
        // The list is redrawn on every change, so an element found a moment ago may be gone: look again.
        WebDriverWait twoSeconds = new WebDriverWait(bob.driver, Duration.ofSeconds(2));
        twoSeconds.ignoring(StaleElementReferenceException.class);

        alice.click("#release");
        twoSeconds.until(ExpectedConditions.attributeToBe(By.cssSelector(".slot[data-slot='staging']"), "data-state", "free"));

        alice.waitForText("#slot-badge", "Free");
        alice.type("#claim-timeout", "300");
        alice.type("#claim-note", "second run");
        alice.click("#claim");
        twoSeconds.until(ExpectedConditions.attributeToBe(By.cssSelector(".slot[data-slot='staging']"), "data-state", "held"));
        bob.waitForText(".slot[data-slot='staging']", "fence 2");
        assertThat(bob.driver.executeScript("return window.__sameDocument")).as("no reload happened").isEqualTo("yes");
        assertThat(bob.driver.findElement(By.id("conn")).getText()).isEqualTo("Live");
        bob.screenshot("screenshot-slot-list.png");
    }

    @Test
    @Order(3)
    void claimingAHeldSlotSaysWhoHasItAndWaitingInLineShowsInTheDetail() {
        bob.click(".slot[data-slot='staging'] a.slot-link");
        bob.waitForText("#slot-title", "Staging environment");
        bob.waitForText("#slot-badge", "Held");
        bob.click("#claim");
        bob.wait.until(d -> bob.flash().contains("held by " + ALICE));

        // Wait in line for 20 s in Bob's browser; Alice sees Bob waiting, releases, and Bob gets it.
        bob.type("#claim-wait", "20");
        bob.click("#claim");
        alice.waitForText("#waiters", BOB);
        alice.waitForText("#slot-state", "Waiting (1)");
        alice.click("#release");
        bob.waitForText("#slot-badge", "Held by you");
        bob.wait.until(d -> bob.flash().contains("fence 3"));
        alice.waitForText("#slot-state", BOB);
        bob.click("#release");
        alice.waitForText("#slot-badge", "Free");
    }

    @Test
    @Order(4)
    void theHistoryShowsEveryHoldAsATimeline() {
        alice.waitForText("#history", "Fence 3");
        List<WebElement> holds = alice.driver.findElements(By.cssSelector("#history li.hold"));
        assertThat(holds).extracting(WebElement::getText).hasSize(3);
        assertThat(holds.get(0).getText()).contains("Fence 3", BOB, "released");
        assertThat(holds.get(2).getText()).contains("Fence 1", ALICE, "released");
        alice.type("#claim-timeout", "900");
        alice.type("#claim-note", "integration tests for release 1.4");
        alice.click("#claim");
        alice.waitForText("#slot-badge", "Held by you");
        alice.waitForText("#history", "Fence 4");
        alice.size(1280, 1500);
        alice.driver.executeScript("window.scrollTo(0, 0)");
        alice.screenshot("screenshot-slot-detail.png");
        alice.size(1280, 900);
    }

    @Test
    @Order(5)
    void whatPeopleTypedIsShownAsTextNeverAsMarkup() {
        alice.go("/new");
        alice.type("#new-id", "xss-check");
        alice.type("#new-name", XSS);
        alice.type("#new-description", XSS);
        alice.type("#new-members", BOB);
        alice.click("#register");
        alice.waitForText("#slot-title", XSS);
        alice.type("#claim-note", XSS);
        alice.click("#claim");
        alice.waitForText("#slot-badge", "Held by you");
        alice.waitForText("#slot-state .note", XSS);

        bob.go("/");
        bob.waitForText(".slot[data-slot='xss-check'] .slot-link", XSS);
        bob.go("/slots/xss-check");
        bob.waitForText("#slot-state .note", XSS);
        for (Browser b : List.of(alice, bob)) {
            assertThat(b.driver.findElements(By.tagName("img"))).as("no img element was made").isEmpty();
            assertThat(b.driver.executeScript("return document.body.innerHTML.includes('<img')")).isEqualTo(false);
            assertThatThrownBy(() -> b.driver.switchTo().alert()).isInstanceOf(NoAlertPresentException.class);
        }
    }

    @Test
    @Order(6)
    void itIsUsableOnAPhone() throws Exception {
        bob.size(390, 844);
        bob.go("/");
        WebElement card = bob.visible(".slot[data-slot='staging']");
        assertThat(card.getRect().getWidth()).isLessThanOrEqualTo(390);
        Number scroll = (Number) bob.driver.executeScript("return document.documentElement.scrollWidth");
        assertThat(scroll.intValue()).as("no sideways scrolling").isLessThanOrEqualTo(390);
        Path shot = bob.screenshot("screenshot-phone.png");
        assertThat(Files.size(shot)).isPositive();
        bob.size(1280, 900);
    }
}
