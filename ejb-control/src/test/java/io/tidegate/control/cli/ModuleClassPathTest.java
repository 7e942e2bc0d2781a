package io.tidegate.control.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Set;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Class paths from a WildFly-style module tree (layers, aliases, optional and JDK dependencies). */
class ModuleClassPathTest {

    @TempDir
    Path home;

    private Path modules() {
        return home.resolve("modules");
    }

    private Path module(String layer, String name, String body) throws IOException {
        Path dir = modules().resolve("system/layers/" + layer).resolve(name.replace('.', '/')).resolve("main");
        Files.createDirectories(dir);
        Files.writeString(dir.resolve("module.xml"), body);
        return dir;
    }

    private Path jarIn(Path dir, String jar) throws IOException {
        return Files.writeString(dir.resolve(jar), "not really a jar");
    }

    @Test
    void followsDependenciesAliasesAndLayersOnce() throws IOException {
        Path client = module("base", "org.example.client", """
                <module name="org.example.client" xmlns="urn:jboss:module:1.9">
                  <resources><resource-root path="client-1.0.jar"/></resources>
                  <dependencies>
                    <module name="java.management"/>
                    <module name="org.example.alias"/>
                    <module name="org.example.common"/>
                    <module name="org.example.absent" optional="true"/>
                    <module name="org.jboss.modules"/>
                  </dependencies>
                </module>
                """);
        Path clientJar = jarIn(client, "client-1.0.jar");
        module("base", "org.example.alias", """
                <module-alias name="org.example.alias" target-name="org.example.transport" xmlns="urn:jboss:module:1.9"/>
                """);
        Path transport = module("extra", "org.example.transport", """
                <module name="org.example.transport" xmlns="urn:jboss:module:1.9">
                  <resources><resource-root path="transport.jar"/></resources>
                  <dependencies><module name="org.example.common"/></dependencies>
                </module>
                """);
        Path transportJar = jarIn(transport, "transport.jar");
        Path common = module("base", "org.example.common", """
                <module name="org.example.common" xmlns="urn:jboss:module:1.9">
                  <resources><resource-root path="common.jar"/></resources>
                </module>
                """);
        Path commonJar = jarIn(common, "common.jar");
        Path modulesJar = Files.writeString(home.resolve("jboss-modules.jar"), "launcher");

        List<Path> jars = ModuleClassPath.resolve(modules(), List.of("org.example.client"));

        assertEquals(Set.of(clientJar, modulesJar, transportJar, commonJar), Set.copyOf(jars));
        assertEquals(4, jars.size(), "each jar once: " + jars);
        assertEquals(clientJar, jars.get(0), "the requested module first");
    }

    @Test
    void aMissingRequiredModuleIsNamedWithWhoNeedsIt() throws IOException {
        module("base", "org.example.client", """
                <module name="org.example.client" xmlns="urn:jboss:module:1.9">
                  <dependencies><module name="org.example.gone"/></dependencies>
                </module>
                """);
        IOException e = assertThrows(IOException.class,
                () -> ModuleClassPath.resolve(modules(), List.of("org.example.client")));
        assertTrue(e.getMessage().contains("org.example.gone (needed by org.example.client)"), e.getMessage());
    }
}
