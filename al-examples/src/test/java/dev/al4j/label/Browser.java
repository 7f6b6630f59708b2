package dev.al4j.label;

import static org.junit.jupiter.api.Assertions.fail;

import java.io.File;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.function.Function;
import org.openqa.selenium.By;
import org.openqa.selenium.OutputType;
import org.openqa.selenium.WebDriver;
import org.openqa.selenium.WebElement;
import org.openqa.selenium.chrome.ChromeDriver;
import org.openqa.selenium.chrome.ChromeDriverService;
import org.openqa.selenium.chrome.ChromeOptions;
import org.openqa.selenium.support.ui.WebDriverWait;

/**
 * Debian's headless Chromium driven through Debian's chromedriver, for the labelling page's tests. When either is
 * missing the test FAILS (it does not skip) and says how to install them: {@code .ci/setup-browser.sh}.
 */
public final class Browser implements AutoCloseable {

    static final Path CHROMIUM = Path.of("/usr/bin/chromium");
    static final Path CHROMEDRIVER = Path.of("/usr/bin/chromedriver");

    /** Selenium warns at every start that it has no CDP bindings for this Chromium; the tests use none. */
    private static final java.util.logging.Logger CDP_LOG = java.util.logging.Logger.getLogger(
            "org.openqa.selenium.devtools.CdpVersionFinder");

    static {
        CDP_LOG.setLevel(java.util.logging.Level.SEVERE);
    }

    private final ChromeDriver driver;

    private Browser(ChromeDriver driver) {
        this.driver = driver;
    }

    /** Starts a headless Chromium, or fails the test with the command that installs it. */
    public static Browser start() {
        if (!Files.isExecutable(CHROMIUM) || !Files.isExecutable(CHROMEDRIVER)) {
            fail("the labelling page's browser tests need Debian's chromium and chromium-driver (" + CHROMIUM + ", "
                    + CHROMEDRIVER + "), which are missing: run .ci/setup-browser.sh (apt-get install -y chromium "
                    + "chromium-driver) and test again");
        }
        ChromeOptions options = new ChromeOptions();
        options.setBinary(CHROMIUM.toFile());
        options.addArguments("--headless=new", "--no-sandbox", "--disable-dev-shm-usage", "--disable-gpu",
                "--window-size=900,720", "--no-first-run", "--disable-extensions");
        ChromeDriverService service = new ChromeDriverService.Builder()
                .usingDriverExecutable(new File(CHROMEDRIVER.toString())).usingAnyFreePort().build();
        return new Browser(new ChromeDriver(service, options));
    }

    /** The driver. */
    public WebDriver driver() {
        return driver;
    }

    /** Opens {@code url}. */
    public void open(String url) {
        driver.get(url);
    }

    /** Types keys on the page (a key event on the document, as a person's keyboard). */
    public void press(CharSequence... keys) {
        driver.findElement(By.tagName("body")).sendKeys(keys);
    }

    /** Waits up to a minute for {@code condition}. */
    public <T> T await(String what, Function<WebDriver, T> condition) {
        return new WebDriverWait(driver, Duration.ofSeconds(60)).withMessage(what).until(condition::apply);
    }

    /** The attribute {@code data-NAME} of the element with id {@code id}, or {@code null}. */
    public String data(String id, String name) {
        WebElement e = driver.findElement(By.id(id));
        return e.getAttribute("data-" + name);
    }

    /** Whether the element with id {@code id} is shown. */
    public boolean shown(String id) {
        return driver.findElement(By.id(id)).isDisplayed();
    }

    /** The visible text of the element with id {@code id}. */
    public String text(String id) {
        return driver.findElement(By.id(id)).getText();
    }

    /** Waits until the page shows item {@code pos} of round {@code round}, and returns its pool id. */
    public int awaitItem(int round, int pos) {
        await("item " + pos + " of round " + round + " shown", d -> shown("item")
                && String.valueOf(round).equals(data("item", "round"))
                && String.valueOf(pos).equals(data("item", "pos")));
        return Integer.parseInt(data("item", "id"));
    }

    /** A PNG screenshot of the window. */
    public byte[] screenshot() {
        return driver.getScreenshotAs(OutputType.BYTES);
    }

    @Override
    public void close() {
        driver.quit();
    }
}
