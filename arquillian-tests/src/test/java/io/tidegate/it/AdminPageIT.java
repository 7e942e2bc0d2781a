package io.tidegate.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.function.Function;
import java.util.stream.Stream;

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
import org.openqa.selenium.Cookie;
import org.openqa.selenium.JavascriptExecutor;
import org.openqa.selenium.OutputType;
import org.openqa.selenium.TakesScreenshot;
import org.openqa.selenium.WebDriver;
import org.openqa.selenium.WebElement;
import org.openqa.selenium.support.ui.WebDriverWait;

/**
 * The admin app in a real browser (headless Debian Chromium): sign-in, the three roles enforced
 * on the server (a viewer's forged POST is refused with 403 and audited), an operator's drain, the
 * admin's persistence change from insert to prefix with preview and diff and the traffic following
 * it, a stale concurrent save refused, the history with the right users and an undo.
 */
@ExtendWith(ArquillianExtension.class)
@RunAsClient
class AdminPageIT {

    private static final String DEPLOYMENT = "tidegate-admin";

    @ArquillianResource
    private Deployer deployer;

    private SessionBackends backends;
    private final List<WebDriver> browsers = new ArrayList<>();
    private WebDriver browser;
    private int proxyPort;
    private Path config;
    private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

    @Deployment(name = DEPLOYMENT, managed = false, testable = false)
    static EnterpriseArchive ear() {
        return ItEnvironment.tidegateEar();
    }

    @BeforeEach
    void deploy() throws IOException {
        backends = new SessionBackends("alpha", "bravo");
        proxyPort = ItEnvironment.freePort();
        config = ItEnvironment.writeConfig("""
                # the admin IT's farm
                frontend www
                    bind 127.0.0.1:%d
                    mode http
                    default_backend farm
                backend farm
                    mode http
                    balance roundrobin
                    cookie SERVERID insert indirect nocache
                    server alpha 127.0.0.1:%d cookie A weight 3 check inter 1s
                    server bravo 127.0.0.1:%d cookie B weight 3 check inter 1s
                """.formatted(proxyPort, backends.port("alpha"), backends.port("bravo")));
        // what earlier tests left beside the configuration: audit log, kept versions, runtime state
        Files.deleteIfExists(config.resolveSibling(config.getFileName() + ".audit"));
        Files.deleteIfExists(config.resolveSibling(config.getFileName() + ".state"));
        Path versions = config.resolveSibling(config.getFileName() + ".versions");
        if (Files.isDirectory(versions)) {
            try (Stream<Path> files = Files.walk(versions)) {
                for (Path p : files.sorted(Comparator.reverseOrder()).toList()) {
                    Files.delete(p);
                }
            }
        }
        deployer.deploy(DEPLOYMENT);
        browser = newBrowser();
    }

    @AfterEach
    void undeploy() {
        browsers.forEach(WebDriver::quit);
        deployer.undeploy(DEPLOYMENT);
        backends.close();
    }

    private WebDriver newBrowser() {
        WebDriver b = Browser.start();
        browsers.add(b);
        return b;
    }

    private String adminUrl() {
        return "http://127.0.0.1:" + ItEnvironment.wildflyHttpPort() + "/tidegate/";
    }

    private static <T> T await(WebDriver b, Function<WebDriver, T> condition) {
        return new WebDriverWait(b, Duration.ofSeconds(20))
                .ignoring(org.openqa.selenium.StaleElementReferenceException.class)
                .ignoring(org.openqa.selenium.NoSuchElementException.class)
                .until(condition::apply);
    }

    private static WebElement awaitElement(WebDriver b, String id) {
        return await(b, d -> d.findElements(By.id(id)).stream().findFirst().orElse(null));
    }

    private static void signIn(WebDriver b, String adminUrl, String user, String password) {
        b.get(adminUrl);
        awaitElement(b, "j_username").sendKeys(user);
        b.findElement(By.id("j_password")).sendKeys(password);
        b.findElement(By.id("login")).click();
    }

    private void signInAndAwaitStatus(WebDriver b, String user) {
        signIn(b, adminUrl(), user, "tidegate");
        awaitElement(b, "frontends");
    }

    private WebElement serverAction(WebDriver b, String server, String button) {
        return b.findElement(By.xpath("//form[@id='actions']//tr[td[1][normalize-space()='farm/" + server + "']]//input[@value='" + button + "']"));
    }

    private String serverCell(WebDriver b, String server, String cssClass) {
        return b.findElement(By.xpath("//table[contains(@class,'servers')]//tr[.//span[@class='server-name' and text()='" + server
                + "']]//*[contains(@class,'" + cssClass + "')]")).getText();
    }

    /** A request to the proxy with an optional Cookie header. */
    private HttpResponse<String> get(String cookie) {
        HttpRequest.Builder r = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + proxyPort + "/")).timeout(Duration.ofSeconds(10));
        if (cookie != null) {
            r.header("Cookie", cookie);
        }
        try {
            return http.send(r.build(), HttpResponse.BodyHandlers.ofString());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    private static List<String> setCookies(HttpResponse<String> r) {
        return r.headers().allValues("Set-Cookie");
    }

    private List<List<String>> auditRows(WebDriver b) {
        b.get(adminUrl() + "history.xhtml");
        awaitElement(b, "audit");
        List<List<String>> rows = new ArrayList<>();
        for (WebElement tr : b.findElements(By.xpath("//table[@id='audit']/tbody/tr"))) {
            rows.add(List.of(tr.findElement(By.className("audit-who")).getText(), tr.findElement(By.className("audit-action")).getText(),
                    tr.findElement(By.className("audit-outcome")).getText()));
        }
        return rows;
    }

    @Test
    void withoutSignInNoPageShowsData() throws Exception {
        for (String page : List.of("", "index.xhtml", "backend.xhtml?backend=farm", "persistence.xhtml", "config.xhtml", "history.xhtml")) {
            HttpResponse<String> response = http.send(HttpRequest.newBuilder(URI.create(adminUrl() + page)).build(),
                    HttpResponse.BodyHandlers.ofString());
            assertTrue(response.body().contains("j_security_check"), page + " shows the sign-in form: " + response.body());
            assertFalse(response.body().contains("127.0.0.1:" + proxyPort), page + ": no status leaks before sign-in");
            assertFalse(response.body().contains("SERVERID"), page + ": no configuration leaks before sign-in");
        }
    }

    @Test
    void wrongPasswordIsRefused() {
        signIn(browser, adminUrl(), "tgviewer", "not-the-password");
        assertTrue(awaitElement(browser, "login-failed").isDisplayed());
        assertTrue(browser.findElements(By.id("frontends")).isEmpty(), "no status without sign-in");
    }

    @Test
    void signInChangesTheSessionIdTheCookieIsHttpOnlyAndSameSiteAndSignOutEndsIt() throws IOException {
        browser.get(adminUrl());
        awaitElement(browser, "j_username");
        Cookie before = browser.manage().getCookieNamed("JSESSIONID");
        browser.findElement(By.id("j_username")).sendKeys("tgviewer");
        browser.findElement(By.id("j_password")).sendKeys("tidegate");
        browser.findElement(By.id("login")).click();
        awaitElement(browser, "frontends");

        Cookie after = browser.manage().getCookieNamed("JSESSIONID");
        assertNotNull(after);
        if (before != null) {
            assertNotEquals(before.getValue(), after.getValue(), "the session id changes at sign-in");
        }
        assertTrue(after.isHttpOnly(), "session cookie HttpOnly");
        assertEquals("Strict", after.getSameSite(), "session cookie SameSite");

        assertEquals("tgviewer", browser.findElement(By.id("user")).getText());
        assertEquals("tidegate-viewer", browser.findElement(By.id("role")).getText());
        String frontends = browser.findElement(By.id("frontends")).getText();
        assertTrue(frontends.contains("127.0.0.1:" + proxyPort), frontends);
        assertEquals(List.of("alpha", "bravo"), browser.findElements(By.className("server-name")).stream().map(WebElement::getText).toList());
        assertEquals(List.of("UP", "UP"), browser.findElements(By.className("health")).stream().map(WebElement::getText).toList());
        await(browser, d -> d.findElements(By.className("last-check")).stream().allMatch(e -> !e.getText().equals("not checked")));
        assertEquals(List.of("READY", "READY"), browser.findElements(By.className("admin-state")).stream().map(WebElement::getText).toList());
        for (String link : List.of("nav-status", "nav-persistence", "nav-config", "nav-history")) {
            assertTrue(browser.findElement(By.id(link)).isDisplayed(), link);
        }

        screenshot(browser, "status-page");

        // live update: the page refreshes itself (ajax poll) without a reload
        String totalBefore = browser.findElement(By.id("updated")).getText();
        get(null);
        await(browser, d -> !d.findElement(By.id("updated")).getText().equals(totalBefore));
        // the exchange's response time is in alpha's histogram: its median shows (bravo is a backup, unused)
        await(browser, d -> serverCell(d, "alpha", "response-p50").matches("\\d+\\.\\d"));
        // what one poll costs (reported, not asserted): size and duration of the ajax responses so far
        Object polls = ((JavascriptExecutor) browser).executeScript("""
                const e = performance.getEntriesByType('resource').filter(r => r.initiatorType === 'xmlhttprequest');
                return e.length + ' polls, last ' + e[e.length - 1].transferSize + ' bytes in ' + Math.round(e[e.length - 1].duration) + ' ms';
                """);
        System.out.println("AdminPageIT: status page ajax poll: " + polls);

        browser.findElement(By.id("signout:signout-button")).click();
        awaitElement(browser, "j_username");
        browser.get(adminUrl() + "index.xhtml");
        awaitElement(browser, "j_username");
        assertTrue(browser.findElements(By.id("frontends")).isEmpty(), "signed out: no status");
    }

    @Test
    void aViewerSeesTheStatusButEveryChangeIsRefusedAlsoAForgedPost() {
        signInAndAwaitStatus(browser, "tgviewer");
        assertTrue(browser.findElement(By.id("actions-note")).getText().contains("may only read"));

        serverAction(browser, "alpha", "Drain").click();
        assertTrue(awaitElement(browser, "forbidden").getText().contains("403"), "the viewer's click is refused");

        // a forged POST: the operator's "set weight 0" form, sent with the viewer's session and view state
        browser.get(adminUrl());
        awaitElement(browser, "actions");
        Object status = ((JavascriptExecutor) browser).executeAsyncScript("""
                const done = arguments[arguments.length - 1];
                const form = document.getElementById('actions');
                const data = new URLSearchParams(new FormData(form));
                const weight = [...form.querySelectorAll('input[type=text]')][0];
                const button = [...form.querySelectorAll('input[type=submit]')].find(b => b.value === 'Set');
                data.set(weight.name, '0');
                data.set(button.name, button.value);
                fetch(form.action, {method: 'POST', body: data, credentials: 'same-origin'}).then(r => done(r.status));
                """);
        assertEquals(403L, status, "the server refuses the viewer's forged POST");

        // without a view state of this session the POST is not a postback: no action runs, so no
        // third refusal appears in the audit log below
        Object noViewState = ((JavascriptExecutor) browser).executeAsyncScript("""
                const done = arguments[arguments.length - 1];
                const form = document.getElementById('actions');
                const data = new URLSearchParams(new FormData(form));
                data.delete('jakarta.faces.ViewState');
                const button = [...form.querySelectorAll('input[type=submit]')].find(b => b.value === 'Maint');
                data.set(button.name, button.value);
                fetch(form.action, {method: 'POST', body: data, credentials: 'same-origin'}).then(r => done(r.status));
                """);
        assertNotNull(noViewState);

        browser.get(adminUrl());
        awaitElement(browser, "frontends");
        assertEquals("READY", serverCell(browser, "alpha", "admin-state"), "nothing changed");
        assertEquals("3", serverCell(browser, "alpha", "weight"), "nothing changed");
        assertEquals(List.of(List.of("tgviewer", "set weight", "REFUSED"), List.of("tgviewer", "set state", "REFUSED")),
                auditRows(browser), "both refusals are audited with the viewer's name");
    }

    @Test
    void anOperatorDrainsAServerNewSessionsAvoidItAndCookieHoldersStay() throws IOException {
        String holder = null;
        for (int i = 0; i < 4 && holder == null; i++) {
            HttpResponse<String> r = get(null);
            if (r.body().equals("alpha")) {
                holder = setCookies(r).stream().filter(c -> c.startsWith("SERVERID=A")).findFirst().map(c -> c.split(";")[0]).orElse(null);
            }
        }
        assertEquals("SERVERID=A", holder, "a client pinned to alpha");

        signInAndAwaitStatus(browser, "tgoperator");
        assertEquals("tidegate-operator", browser.findElement(By.id("role")).getText());
        serverAction(browser, "alpha", "Drain").click();
        await(browser, d -> d.findElement(By.id("messages")).getText().contains("farm/alpha is now DRAIN"));
        assertEquals("DRAIN", serverCell(browser, "alpha", "admin-state"));

        for (int i = 0; i < 6; i++) {
            assertEquals("bravo", get(null).body(), "new sessions avoid the drained server");
        }
        for (int i = 0; i < 3; i++) {
            assertEquals("alpha", get(holder).body(), "its cookie holders stay");
        }
        await(browser, d -> serverCell(d, "alpha", "drain-progress").contains("requests from cookie holders"));
        screenshot(browser, "status-drain");

        serverAction(browser, "alpha", "Set").findElement(By.xpath("preceding-sibling::input")).sendKeys("999");
        serverAction(browser, "alpha", "Set").click();
        await(browser, d -> !d.findElements(By.className("field-error")).isEmpty());
        assertTrue(browser.findElement(By.className("field-error")).getText().contains("256"),
                "the weight is validated beside its field");

        // an operator may reload the file (not edit it)
        browser.get(adminUrl() + "config.xhtml");
        awaitElement(browser, "config:reload").click();
        await(browser, d -> d.findElement(By.id("messages")).getText().contains("Reloaded tidegate-it.cfg"));
        assertEquals(List.of(List.of("tgoperator", "reload", "DONE"), List.of("tgoperator", "set state", "DONE")),
                auditRows(browser).subList(0, 2));
    }

    @Test
    void theAdminSwitchesInsertToPrefixTrafficFollowsTheHistoryNamesEveryoneAndRestoreBringsInsertBack() throws IOException {
        WebDriver viewer = newBrowser();
        signInAndAwaitStatus(viewer, "tgviewer");
        serverAction(viewer, "bravo", "Maint").click();
        WebDriver operator = newBrowser();
        signInAndAwaitStatus(operator, "tgoperator");
        serverAction(operator, "bravo", "Set").findElement(By.xpath("preceding-sibling::input")).sendKeys("5");
        serverAction(operator, "bravo", "Set").click();
        await(operator, d -> d.findElement(By.id("messages")).getText().contains("farm/bravo weight set to 5"));

        signInAndAwaitStatus(browser, "tgadmin");
        browser.findElement(By.id("nav-persistence")).click();
        awaitElement(browser, "editor");
        assertEquals("farm", browser.findElement(By.id("backend-name")).getText());
        new org.openqa.selenium.support.ui.Select(browser.findElement(By.id("editor:mode"))).selectByVisibleText("prefix");
        WebElement name = browser.findElement(By.id("editor:cookie-name"));
        name.clear();
        name.sendKeys("JSESSIONID");
        browser.findElement(By.id("editor:indirect")).click();
        browser.findElement(By.id("editor:preview")).click();
        WebElement nocacheError = await(browser, d -> d.findElements(By.xpath("//input[@id='editor:nocache']/following-sibling::*[contains(@class,'field-error')]"))
                .stream().findFirst().orElse(null));
        assertTrue(nocacheError.getText().contains("nocache needs insert"), nocacheError.getText());

        browser.findElement(By.id("editor:nocache")).click();
        browser.findElement(By.id("editor:preview")).click();
        String diff = awaitElement(browser, "diff").getText();
        assertTrue(diff.contains("-    cookie SERVERID insert indirect nocache"), diff);
        assertTrue(diff.contains("+    cookie JSESSIONID prefix"), diff);
        String effects = browser.findElement(By.id("effects")).getText();
        assertTrue(effects.contains("renamed SERVERID -> JSESSIONID"), effects);
        screenshot(browser, "persistence-preview");

        browser.findElement(By.id("editor:save")).click();
        await(browser, d -> d.findElement(By.id("messages")).getText().contains("Saved farm's persistence and reloaded"));
        assertTrue(Files.readString(config).contains("    cookie JSESSIONID prefix\n"), Files.readString(config));
        assertTrue(Files.readString(config).startsWith("# the admin IT's farm"), "the file keeps its comments");

        // traffic follows: the client sees JSESSIONID=A~..., the server the bare value
        HttpResponse<String> first = get(null);
        String server = first.body();
        String letter = server.equals("alpha") ? "A" : "B";
        String clientCookie = setCookies(first).stream().filter(c -> c.startsWith("JSESSIONID=")).findFirst().orElseThrow().split(";")[0];
        assertEquals("JSESSIONID=" + letter + "~" + server + "-1", clientCookie);
        HttpResponse<String> again = get(clientCookie);
        assertEquals(server, again.body(), "the prefixed cookie pins the client");
        assertEquals("JSESSIONID=" + server + "-1", again.headers().firstValue("X-Seen-Cookie").orElseThrow(), "the server sees its own value");

        List<List<String>> audit = auditRows(browser);
        screenshot(browser, "history");
        assertEquals(List.of(List.of("tgadmin", "change persistence of farm", "DONE"),
                List.of("tgoperator", "set weight", "DONE"),
                List.of("tgviewer", "set state", "REFUSED")), audit);

        // undo: restore the version before the change
        browser.findElement(By.xpath("//table[@id='versions:version-table']//tr[td/span[@class='version-id' and starts-with(text(),'000001-')]]//input[@value='Compare with current']")).click();
        String compared = awaitElement(browser, "compare-output").getText();
        assertTrue(compared.contains("+    cookie JSESSIONID prefix"), compared);
        browser.findElement(By.xpath("//table[@id='versions:version-table']//tr[td/span[@class='version-id' and starts-with(text(),'000001-')]]//input[@value='Restore']")).click();
        await(browser, d -> d.findElement(By.id("messages")).getText().contains("Restored 000001-"));
        assertTrue(Files.readString(config).contains("    cookie SERVERID insert indirect nocache\n"));
        HttpResponse<String> afterUndo = get(null);
        assertTrue(setCookies(afterUndo).stream().anyMatch(c -> c.startsWith("SERVERID=")), "insert mode is back: " + setCookies(afterUndo));
        List<String> newest = auditRows(browser).get(0);
        assertEquals("tgadmin", newest.get(0));
        assertTrue(newest.get(1).startsWith("restore version 000001-"), newest.toString());
    }

    @Test
    void aStaleConcurrentSaveIsRefusedAndAnInvalidFileIsShownWithLineAndColumn() throws IOException {
        WebDriver second = newBrowser();
        signInAndAwaitStatus(browser, "tgadmin");
        signInAndAwaitStatus(second, "tgadmin");
        browser.get(adminUrl() + "config.xhtml");
        second.get(adminUrl() + "config.xhtml");
        awaitElement(browser, "config:text");
        awaitElement(second, "config:text");

        browser.findElement(By.id("config:text")).sendKeys("    balance nonsense\n");
        browser.findElement(By.id("config:check")).click();
        String problems = awaitElement(browser, "problems").getText();
        assertTrue(problems.contains("tidegate-it.cfg:12:"), problems);
        assertTrue(browser.findElement(By.id("check-result")).getText().contains("nothing was changed"));
        screenshot(browser, "configuration-check");

        WebElement text = browser.findElement(By.id("config:text"));
        text.clear();
        text.sendKeys(Files.readString(config) + "# edited by the first admin\n");
        browser.findElement(By.id("config:diff")).click();
        assertTrue(awaitElement(browser, "diff-output").getText().contains("+# edited by the first admin"));
        browser.findElement(By.id("config:save")).click();
        await(browser, d -> d.findElement(By.id("messages")).getText().contains("Saved and reloaded"));
        screenshot(browser, "configuration");

        second.findElement(By.id("config:text")).sendKeys("# edited by the second admin\n");
        second.findElement(By.id("config:save")).click();
        String refused = await(second, d -> d.findElement(By.id("messages")).getText());
        assertTrue(refused.contains("changed since you opened it"), refused);
        String file = Files.readString(config);
        assertTrue(file.contains("# edited by the first admin") && !file.contains("second admin"), file);
        assertEquals("200", String.valueOf(get(null).statusCode()), "the saved configuration serves");
    }

    @Test
    void whenTidegateIsNotServingTheStatusPageShowsItsProblem() {
        deployer.undeploy(DEPLOYMENT);
        ItEnvironment.writeConfig("""
                frontend www
                    bind 127.0.0.1:%d
                    default_backend nowhere
                """.formatted(proxyPort));
        deployer.deploy(DEPLOYMENT);
        signInAndAwaitStatus(browser, "tgviewer");
        String problem = browser.findElement(By.id("problem")).getText();
        assertTrue(problem.startsWith("Tidegate is not serving"), problem);
        assertTrue(problem.contains("nowhere"), "the configuration's own error is shown: " + problem);
    }

    @Test
    void aSavedConfigurationThatCannotStartIsRolledBack() throws Exception {
        try (java.net.ServerSocket taken = new java.net.ServerSocket(0, 1, java.net.InetAddress.getLoopbackAddress())) {
            String before = Files.readString(config);
            signInAndAwaitStatus(browser, "tgadmin");
            browser.get(adminUrl() + "config.xhtml");
            WebElement text = awaitElement(browser, "config:text");
            text.clear();
            text.sendKeys(before.replace("bind 127.0.0.1:" + proxyPort, "bind 127.0.0.1:" + taken.getLocalPort()));
            browser.findElement(By.id("config:save")).click();
            String message = await(browser, d -> {
                String m = d.findElement(By.id("messages")).getText();
                return m.isEmpty() ? null : m;
            });
            assertTrue(message.contains("did not start") && message.contains("previous file is back"), message);
            assertEquals(before, Files.readString(config), "the previous file is back in place");
            assertEquals(200, get(null).statusCode(), "and serving");
            assertEquals(List.of("tgadmin", "edit configuration", "FAILED"), auditRows(browser).get(0));
        }
    }

    @Test
    void aChangeOverJmxShowsInThePageAndTheAuditNamesTheManagementUser() throws Exception {
        signInAndAwaitStatus(browser, "tgviewer");
        try (javax.management.remote.JMXConnector connector = ItEnvironment.jmx()) {
            connector.getMBeanServerConnection().invoke(new javax.management.ObjectName(
                    "tidegate:type=Server,backend=farm,name=bravo"), "drain", new Object[0], new String[0]);
        }
        // the status page polls: the JMX change appears without reloading the page
        await(browser, d -> serverCell(d, "bravo", "admin-state").equals("DRAIN"));
        List<String> entry = auditRows(browser).get(0);
        assertEquals(List.of("set state", "DONE"), entry.subList(1, 3));
        assertEquals("JMX: tgmgmt", entry.get(0), "a JMX change is recorded as 'JMX: user'");
    }

    /**
     * {@code requests} GET requests on one new keep-alive connection to the proxy, each with
     * {@code cookie}: one client session as the engine counts it. Returns the servers that answered.
     */
    private List<String> session(String cookie, int requests) throws IOException {
        List<String> served = new ArrayList<>();
        try (java.net.Socket socket = new java.net.Socket(java.net.InetAddress.getLoopbackAddress(), proxyPort)) {
            socket.setSoTimeout(10_000);
            var out = socket.getOutputStream();
            var in = new java.io.BufferedInputStream(socket.getInputStream());
            for (int i = 0; i < requests; i++) {
                out.write(("GET / HTTP/1.1\r\nHost: t\r\nCookie: " + cookie + "\r\n\r\n").getBytes(java.nio.charset.StandardCharsets.ISO_8859_1));
                out.flush();
                StringBuilder head = new StringBuilder();
                while (!head.toString().endsWith("\r\n\r\n")) {
                    int c = in.read();
                    if (c < 0) {
                        throw new IOException("the proxy closed the connection after " + i + " responses: " + head);
                    }
                    head.append((char) c);
                }
                int length = 0;
                for (String line : head.toString().split("\r\n")) {
                    if (line.regionMatches(true, 0, "Content-Length:", 0, 15)) {
                        length = Integer.parseInt(line.substring(15).strip());
                    }
                }
                served.add(new String(in.readNBytes(length), java.nio.charset.StandardCharsets.UTF_8));
            }
        }
        return served;
    }

    private static Object jmxAttribute(String server, String attribute) throws Exception {
        try (javax.management.remote.JMXConnector connector = ItEnvironment.jmx()) {
            return connector.getMBeanServerConnection().getAttribute(new javax.management.ObjectName(
                    "tidegate:type=Server,backend=farm,name=" + server), attribute);
        }
    }

    private void openBackendPageFromStatus(WebDriver b) {
        b.findElement(By.xpath("//a[contains(@class,'backend-link') and text()='farm']")).click();
        awaitElement(b, "persistence");
    }

    @Test
    void anOperatorDrainsAServerOnTheBackendPageAndTheStatusPageAndJmxShowIt() throws Exception {
        assertEquals(List.of("alpha", "alpha", "alpha"), session("SERVERID=A", 3), "a client pinned to alpha");

        signInAndAwaitStatus(browser, "tgoperator");
        openBackendPageFromStatus(browser);
        assertEquals("Backend farm", browser.findElement(By.tagName("h2")).getText());
        assertEquals("cookie SERVERID insert indirect nocache", browser.findElement(By.id("persistence")).getText());
        assertTrue(browser.findElement(By.linkText("Edit persistence")).getAttribute("href").endsWith("persistence.xhtml?backend=farm"));
        assertEquals(List.of("alpha", "bravo"), browser.findElements(By.className("server-name")).stream().map(WebElement::getText).toList());
        await(browser, d -> d.findElements(By.className("last-check")).stream().allMatch(e -> !e.getText().equals("not checked")));
        assertEquals("1 / 3", serverCell(browser, "alpha", "cookie-holders"), "one connection brought A three times");
        assertTrue(browser.findElement(By.id("no-drain")).isDisplayed());

        serverAction(browser, "alpha", "Drain").click();
        await(browser, d -> d.findElement(By.id("messages")).getText().contains("farm/alpha is now DRAIN"));
        assertEquals("DRAIN", serverCell(browser, "alpha", "admin-state"));
        assertTrue(browser.getCurrentUrl().contains("backend.xhtml"), "the action keeps the backend page: " + browser.getCurrentUrl());
        assertEquals("Backend farm", browser.findElement(By.tagName("h2")).getText(), "the page still shows farm after the postback");

        for (int i = 0; i < 4; i++) {
            assertEquals("bravo", get(null).body(), "new sessions avoid the drained server");
        }
        assertEquals(List.of("alpha", "alpha"), session("SERVERID=A", 2), "its cookie holders stay");
        String progress = await(browser, d -> {
            String t = d.findElement(By.className("drain-state")).getText();
            return t.contains("requests from cookie holders") && t.contains("cookie holders in the last 5 minutes: 2 connections, 5 requests") ? t : null;
        });
        assertTrue(progress.startsWith("draining: 0 in progress"), progress);
        assertEquals("alpha", browser.findElement(By.className("drain-server")).getText());
        screenshot(browser, "backend-page");

        browser.findElement(By.id("nav-status")).click();
        awaitElement(browser, "frontends");
        assertEquals("DRAIN", serverCell(browser, "alpha", "admin-state"), "the status page shows the drain");
        assertEquals("READY", serverCell(browser, "bravo", "admin-state"));
        assertEquals("DRAIN", jmxAttribute("alpha", "State"), "and JMX");
        assertEquals(2L, jmxAttribute("alpha", "CookieSessions"));
        assertEquals(5L, jmxAttribute("alpha", "CookieRequests"));
        assertEquals(List.of("tgoperator", "set state", "DONE"), auditRows(browser).get(0));
    }

    @Test
    void aViewersForgedPostOnTheBackendPageIsRefusedAndAudited() throws Exception {
        signInAndAwaitStatus(browser, "tgviewer");
        openBackendPageFromStatus(browser);
        assertTrue(browser.findElement(By.id("actions-note")).getText().contains("may only read"));
        Object status = ((JavascriptExecutor) browser).executeAsyncScript("""
                const done = arguments[arguments.length - 1];
                const form = document.getElementById('actions');
                const data = new URLSearchParams(new FormData(form));
                const button = [...form.querySelectorAll('input[type=submit]')].find(b => b.value === 'Maint');
                data.set(button.name, button.value);
                fetch(form.action, {method: 'POST', body: data, credentials: 'same-origin'}).then(r => done(r.status));
                """);
        assertEquals(403L, status, "the server refuses the viewer's forged POST");
        browser.navigate().refresh();
        awaitElement(browser, "persistence");
        assertEquals("READY", serverCell(browser, "alpha", "admin-state"), "nothing changed");
        assertEquals("READY", jmxAttribute("alpha", "State"));
        assertEquals(List.of(List.of("tgviewer", "set state", "REFUSED")), auditRows(browser), "the refusal is audited with the viewer's name");
    }

    @Test
    void thePreviewShowsPerCookieValueTheSessionsTheEngineCounted() throws Exception {
        session("SERVERID=A", 3);
        session("SERVERID=A; theme=dark", 3);
        session("SERVERID=B", 2);
        session("SERVERID=Z", 2);                     // names no server: counted nowhere

        signInAndAwaitStatus(browser, "tgadmin");
        browser.get(adminUrl() + "persistence.xhtml?backend=farm");
        awaitElement(browser, "editor");
        WebElement bravoValue = browser.findElement(By.id("editor:servers:1:value"));
        bravoValue.clear();
        bravoValue.sendKeys("B2");
        browser.findElement(By.id("editor:preview")).click();
        String effects = awaitElement(browser, "effects").getText();
        assertTrue(effects.contains("alpha (SERVERID=A): sessions 2, requests 6 with its cookie in the last 5 minutes; pinned clients keep their server"), effects);
        assertTrue(effects.contains("bravo (SERVERID=B): sessions 1, requests 2 with its cookie in the last 5 minutes; its value changes B -> B2"), effects);
        assertTrue(awaitElement(browser, "diff").getText().contains("cookie B2"));
        screenshot(browser, "persistence-preview-counts");
    }

    @Test
    void aCookieInheritedFromDefaultsShowsInTheEditorWithWhereItComesFrom() {
        deployer.undeploy(DEPLOYMENT);
        ItEnvironment.writeConfig("""
                defaults
                    mode http
                    cookie SRV insert indirect
                frontend www
                    bind 127.0.0.1:%d
                    default_backend farm
                backend farm
                    server alpha 127.0.0.1:%d cookie A
                """.formatted(proxyPort, backends.port("alpha")));
        deployer.deploy(DEPLOYMENT);
        signInAndAwaitStatus(browser, "tgadmin");
        browser.get(adminUrl() + "persistence.xhtml?backend=farm");
        awaitElement(browser, "editor");
        assertEquals("insert", new org.openqa.selenium.support.ui.Select(browser.findElement(By.id("editor:mode"))).getFirstSelectedOption().getText());
        assertEquals("SRV", browser.findElement(By.id("editor:cookie-name")).getAttribute("value"));
        assertTrue(browser.findElement(By.id("editor:indirect")).isSelected());
        String inherited = browser.findElement(By.id("inherited")).getText();
        assertTrue(inherited.contains("the defaults section at line 1"), inherited);

        new org.openqa.selenium.support.ui.Select(browser.findElement(By.id("editor:mode"))).selectByVisibleText("none");
        browser.findElement(By.id("editor:preview")).click();
        WebElement error = await(browser, d -> d.findElements(By.xpath("//select[@id='editor:mode']/following-sibling::*[contains(@class,'field-error')]"))
                .stream().filter(e -> !e.getText().isEmpty()).findFirst().orElse(null));
        assertTrue(error.getText().contains("cannot switch an inherited cookie off"), error.getText());
        assertTrue(browser.findElements(By.id("effects")).isEmpty(), "no preview for a refused change");
    }

    /** A screenshot of the whole page (Chromium's DevTools capture beyond the viewport). */
    private void screenshot(WebDriver b, String name) throws IOException {
        byte[] png;
        if (b instanceof org.openqa.selenium.chrome.ChromeDriver chrome) {
            java.util.Map<String, Object> metrics = chrome.executeCdpCommand("Page.getLayoutMetrics", java.util.Map.of());
            @SuppressWarnings("unchecked")
            java.util.Map<String, Object> size = (java.util.Map<String, Object>) metrics.get("cssContentSize");
            java.util.Map<String, Object> shot = chrome.executeCdpCommand("Page.captureScreenshot", java.util.Map.of(
                    "format", "png", "captureBeyondViewport", true,
                    "clip", java.util.Map.of("x", 0, "y", 0, "width", size.get("width"), "height", size.get("height"), "scale", 1)));
            png = java.util.Base64.getDecoder().decode((String) shot.get("data"));
        } else {
            png = ((TakesScreenshot) b).getScreenshotAs(OutputType.BYTES);
        }
        Path dir = Path.of(ItEnvironment.property("tidegate.it.server")).getParent().resolve("screenshots");
        Files.createDirectories(dir);
        Files.write(dir.resolve(name + ".png"), png);
    }

}
