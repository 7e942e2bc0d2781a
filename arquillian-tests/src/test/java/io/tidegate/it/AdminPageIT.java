package io.tidegate.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

import org.jboss.arquillian.container.test.api.Deployer;
import org.jboss.arquillian.container.test.api.Deployment;
import org.jboss.arquillian.container.test.api.RunAsClient;
import org.jboss.arquillian.junit5.ArquillianExtension;
import org.jboss.arquillian.test.api.ArquillianResource;
import org.jboss.shrinkwrap.api.spec.EnterpriseArchive;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.openqa.selenium.By;
import org.openqa.selenium.OutputType;
import org.openqa.selenium.TakesScreenshot;
import org.openqa.selenium.WebDriver;
import org.openqa.selenium.WebElement;

/** The admin app in a real browser: sign-in is required and the status page lists the servers. */
@ExtendWith(ArquillianExtension.class)
@RunAsClient
class AdminPageIT {

    private static final String DEPLOYMENT = "tidegate-admin";

    @ArquillianResource
    private Deployer deployer;

    private NamedBackends backends;
    private WebDriver browser;
    private int proxyPort;

    @Deployment(name = DEPLOYMENT, managed = false, testable = false)
    static EnterpriseArchive ear() {
        return ItEnvironment.tidegateEar();
    }

    @BeforeEach
    void deploy() {
        backends = new NamedBackends("alpha", "bravo");
        proxyPort = ItEnvironment.freePort();
        ItEnvironment.writeConfig("""
                frontend www
                    bind 127.0.0.1:%d
                    mode http
                    default_backend farm
                backend farm
                    mode http
                    balance roundrobin
                    server alpha 127.0.0.1:%d weight 3
                    server bravo 127.0.0.1:%d weight 5 backup
                """.formatted(proxyPort, backends.port("alpha"), backends.port("bravo")));
        deployer.deploy(DEPLOYMENT);
        browser = Browser.start();
    }

    @AfterEach
    void undeploy() {
        if (browser != null) {
            browser.quit();
        }
        deployer.undeploy(DEPLOYMENT);
        backends.close();
    }

    private String adminUrl() {
        return "http://127.0.0.1:" + ItEnvironment.wildflyHttpPort() + "/tidegate/";
    }

    /** Waits (bounded) for the page the sign-in form led to, identified by an element id. */
    private WebElement awaitElement(String id) {
        return new org.openqa.selenium.support.ui.WebDriverWait(browser, java.time.Duration.ofSeconds(20))
                .until(org.openqa.selenium.support.ui.ExpectedConditions.presenceOfElementLocated(By.id(id)));
    }

    private void signIn(String user, String password) {
        browser.get(adminUrl());
        browser.findElement(By.id("j_username")).sendKeys(user);
        browser.findElement(By.id("j_password")).sendKeys(password);
        browser.findElement(By.id("login")).click();
    }

    @Test
    void statusPageListsFrontendsBackendsAndServersAfterSignIn() throws Exception {
        java.net.http.HttpClient http = java.net.http.HttpClient.newHttpClient();
        for (int i = 0; i < 3; i++) {      // traffic for the response-time percentiles (alpha; bravo is a backup)
            http.send(java.net.http.HttpRequest.newBuilder(java.net.URI.create("http://127.0.0.1:" + proxyPort + "/"))
                    .timeout(java.time.Duration.ofSeconds(10)).build(), java.net.http.HttpResponse.BodyHandlers.ofString());
        }
        signIn("tgviewer", "tidegate");
        awaitElement("frontends");
        screenshot("status-page");

        assertEquals("tgviewer", browser.findElement(By.id("user")).getText());
        String frontends = browser.findElement(By.id("frontends")).getText();
        assertTrue(frontends.contains("www"), frontends);
        assertTrue(frontends.contains("127.0.0.1:" + proxyPort), frontends);

        List<String> serverNames = browser.findElements(By.className("server-name")).stream()
                .map(WebElement::getText).toList();
        assertEquals(List.of("alpha", "bravo"), serverNames);
        String servers = browser.findElement(By.className("servers")).getText();
        assertTrue(servers.contains("127.0.0.1:" + backends.port("alpha")), servers);
        assertTrue(servers.contains("backup"), "bravo is shown as backup: " + servers);
        assertEquals(List.of("UP", "UP"), browser.findElements(By.className("health")).stream()
                .map(WebElement::getText).toList());
        assertEquals(List.of("READY", "READY"), browser.findElements(By.className("admin-state")).stream()
                .map(WebElement::getText).toList());
        List<String> p50 = browser.findElements(By.className("response-p50")).stream().map(WebElement::getText).toList();
        assertTrue(p50.get(0).matches("\\d+\\.\\d"), "alpha answered: its median response time in ms: " + p50);
        assertEquals("", p50.get(1), "bravo (backup) answered nothing yet");
    }

    @Test
    void withoutSignInTheStatusIsNotShown() throws Exception {
        java.net.http.HttpResponse<String> response = java.net.http.HttpClient.newHttpClient().send(
                java.net.http.HttpRequest.newBuilder(java.net.URI.create(adminUrl() + "index.xhtml")).build(),
                java.net.http.HttpResponse.BodyHandlers.ofString());
        assertTrue(response.body().contains("j_security_check"), "the sign-in form is shown: " + response.body());
        assertTrue(!response.body().contains("127.0.0.1:" + proxyPort), "no status leaks before sign-in");
    }

    @Test
    void wrongPasswordIsRefused() {
        signIn("tgviewer", "not-the-password");
        assertTrue(awaitElement("login-failed").isDisplayed());
        assertTrue(browser.findElements(By.id("frontends")).isEmpty(), "no status without sign-in");
    }

    private void screenshot(String name) throws IOException {
        Path dir = Path.of(ItEnvironment.property("tidegate.it.server")).getParent().resolve("screenshots");
        Files.createDirectories(dir);
        Files.write(dir.resolve(name + ".png"), ((TakesScreenshot) browser).getScreenshotAs(OutputType.BYTES));
    }
}
