package io.mutexify.frontface.ui;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.File;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import org.openqa.selenium.By;
import org.openqa.selenium.Dimension;
import org.openqa.selenium.OutputType;
import org.openqa.selenium.StaleElementReferenceException;
import org.openqa.selenium.WebElement;
import org.openqa.selenium.chrome.ChromeDriver;
import org.openqa.selenium.chrome.ChromeDriverService;
import org.openqa.selenium.chrome.ChromeOptions;
import org.openqa.selenium.support.ui.ExpectedConditions;
import org.openqa.selenium.support.ui.WebDriverWait;

/**
 * A headless Chromium for the browser tests: Debian's {@code chromium} driven by Debian's
 * {@code chromedriver}, named explicitly so Selenium Manager never downloads anything, with a fresh
 * profile each time. {@code ./test.sh} installs both packages when they are missing. It opens the
 * UI at a page address: {@code /} on the local server, {@code /ui/} on the Functions app.
 */
public final class Browser implements AutoCloseable {
    static final String CHROMIUM = "/usr/bin/chromium";
    static final String CHROMEDRIVER = "/usr/bin/chromedriver";

    public final ChromeDriver driver;
    public final WebDriverWait wait;
    private final Path profile;
    private final URI page;

    private Browser(URI page) {
        assertThat(new File(CHROMIUM)).as("Debian's chromium (./test.sh installs it)").exists();
        assertThat(new File(CHROMEDRIVER)).as("Debian's chromium-driver (./test.sh installs it)").exists();
        System.setProperty("webdriver.chrome.driver", CHROMEDRIVER);
        try {
            this.profile = Files.createTempDirectory("mutexify-chromium-");
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        ChromeOptions options = new ChromeOptions();
        options.setBinary(CHROMIUM);
        options.addArguments("--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking",
                "--disable-component-update", "--disable-sync", "--no-first-run", "--disable-dev-shm-usage",
                "--user-data-dir=" + profile, "--window-size=1280,900", "--lang=en-US");
        ChromeDriverService service = new ChromeDriverService.Builder()
                .usingDriverExecutable(new File(CHROMEDRIVER))
                .usingAnyFreePort()
                .build();
        this.driver = new ChromeDriver(service, options);
        this.wait = new WebDriverWait(driver, Duration.ofSeconds(10));
        // Live updates redraw parts of the page: an element found a moment ago may have been replaced.
        wait.ignoring(StaleElementReferenceException.class);
        this.page = page;
    }

    /** A browser for the UI whose page is at {@code page} (it ends with a slash). */
    public static Browser open(URI page) {
        return new Browser(page);
    }

    /** Opens the UI and signs in with the dev sign-in form; answers when the page names the user. */
    public Browser signIn(String email) {
        driver.get(page.toString());
        WebElement field = wait.until(ExpectedConditions.visibilityOfElementLocated(By.id("dev-email")));
        field.sendKeys(email);
        driver.findElement(By.cssSelector("#dev-signin button[type=submit]")).click();
        wait.until(ExpectedConditions.textToBe(By.id("me"), email));
        wait.until(ExpectedConditions.textToBe(By.id("conn"), "Live"));
        return this;
    }

    public void go(String hash) {
        driver.get(page + "#" + hash);
    }

    public WebElement visible(String css) {
        return wait.until(ExpectedConditions.visibilityOfElementLocated(By.cssSelector(css)));
    }

    public void type(String css, String text) {
        WebElement e = visible(css);
        e.clear();
        e.sendKeys(text);
    }

    public void click(String css) {
        wait.until(ExpectedConditions.elementToBeClickable(By.cssSelector(css))).click();
    }

    /** Types each text into the field its selector names ({@code selector, text, selector, text, …}), then clicks {@code button}. */
    public void submit(String button, String... fieldsAndTexts) {
        if (fieldsAndTexts.length % 2 != 0) {
            throw new IllegalArgumentException("fields and texts come in pairs");
        }
        for (int i = 0; i < fieldsAndTexts.length; i += 2) {
            type(fieldsAndTexts[i], fieldsAndTexts[i + 1]);
        }
        click(button);
    }

    /** Opens the new-slot form from the menu, fills it ({@code selector, text, …}) and registers the slot. */
    public void registerSlot(String... fieldsAndTexts) {
        click("nav a[href='#/new']");
        submit("#register", fieldsAndTexts);
    }

    public void waitForText(String css, String text) {
        wait.until(ExpectedConditions.textToBePresentInElementLocated(By.cssSelector(css), text));
    }

    public String flash() {
        return driver.findElement(By.id("flash")).getText();
    }

    /**
     * Saves a PNG of the page into {@code target/screenshots/} of this module, so a test run never
     * dirties the checkout; the README's copies in {@code docs/ui/} are taken from there by hand.
     */
    public Path screenshot(String name) {
        try {
            Path dir = Path.of(System.getProperty("user.dir")).toAbsolutePath().resolve("target/screenshots");
            Files.createDirectories(dir);
            Path file = dir.resolve(name);
            Files.write(file, driver.getScreenshotAs(OutputType.BYTES));
            return file;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    public void size(int width, int height) {
        driver.manage().window().setSize(new Dimension(width, height));
    }

    @Override
    public void close() {
        try {
            driver.quit();
        } finally {
            try (var files = Files.walk(profile)) {
                files.sorted(java.util.Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
            } catch (IOException ignored) {
                // a temp folder left behind is harmless
            }
        }
    }
}
