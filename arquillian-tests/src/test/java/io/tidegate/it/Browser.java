package io.tidegate.it;

import java.io.File;
import java.time.Duration;

import org.openqa.selenium.WebDriver;
import org.openqa.selenium.chrome.ChromeDriver;
import org.openqa.selenium.chrome.ChromeDriverService;
import org.openqa.selenium.chrome.ChromeOptions;

/**
 * Debian's headless Chromium driven by Debian's chromedriver, both by explicit path so Selenium
 * Manager never tries to download anything.
 */
final class Browser {

    private Browser() {
    }

    static WebDriver start() {
        File driver = new File(ItEnvironment.property("chromedriver.binary"));
        File chromium = new File(ItEnvironment.property("chromium.binary"));
        if (!driver.canExecute() || !chromium.canExecute()) {
            throw new IllegalStateException("chromium/chromedriver missing at " + chromium + " / " + driver
                    + " (./tidegate test installs Debian's chromium and chromium-driver)");
        }
        System.setProperty("webdriver.chrome.driver", driver.getPath());
        ChromeDriverService service = new ChromeDriverService.Builder()
                .usingDriverExecutable(driver).usingAnyFreePort().build();
        ChromeOptions options = new ChromeOptions();
        options.setBinary(chromium);
        options.addArguments("--headless=new", "--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage",
                "--disable-quic", "--no-first-run", "--disable-background-networking",
                "--disable-component-update", "--disable-sync", "--window-size=1280,900");
        ChromeDriver chrome = new ChromeDriver(service, options);
        chrome.manage().timeouts().pageLoadTimeout(Duration.ofSeconds(30));
        return chrome;
    }
}
