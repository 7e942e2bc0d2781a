package io.tidegate.control.cli;

import java.io.File;
import java.io.IOException;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.HashSet;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import java.util.stream.Collectors;

import javax.xml.parsers.DocumentBuilderFactory;
import javax.xml.parsers.ParserConfigurationException;

import org.w3c.dom.Element;
import org.w3c.dom.NodeList;
import org.xml.sax.SAXException;

/**
 * The plain class path of a WildFly module and every module it depends on, read from the
 * {@code module.xml} files of a WildFly installation. {@code ./tidegate jconsole} gives JConsole the
 * class path of {@code org.jboss.remoting-jmx} this way, so JConsole speaks {@code remote+http} with
 * the very libraries of the server it connects to (the provisioned server has no
 * {@code bin/client/jboss-cli-client.jar}).
 *
 * <p>Usage: {@code ModuleClassPath MODULES_DIR MODULE...}; prints the jars joined by the platform's
 * path separator. JDK modules ({@code java.*}, {@code jdk.*}) are left to the JVM.
 */
public final class ModuleClassPath {

    private static final String JBOSS_MODULES = "org.jboss.modules";

    private ModuleClassPath() {
    }

    public static void main(String[] args) throws IOException {
        if (args.length < 2) {
            System.err.println("usage: ModuleClassPath MODULES_DIR MODULE...");
            System.exit(2);
        }
        List<Path> jars = resolve(Path.of(args[0]), List.of(args).subList(1, args.length));
        System.out.println(jars.stream().map(Path::toString).collect(Collectors.joining(File.pathSeparator)));
    }

    /**
     * The jars of {@code modules} and their dependencies (main slot, optional ones when present), each once.
     *
     * @throws IOException when a requested module or a required dependency is missing or unreadable
     */
    public static List<Path> resolve(Path modulesDir, List<String> modules) throws IOException {
        List<Path> roots = moduleRoots(modulesDir);
        Set<Path> jars = new LinkedHashSet<>();
        Set<String> seen = new HashSet<>();
        Deque<Dependency> pending = new ArrayDeque<>();
        for (String m : modules) pending.add(new Dependency(m, false, "the command line"));
        while (!pending.isEmpty()) {
            Dependency d = pending.poll();
            if (isJdkModule(d.name()) || !seen.add(d.name())) continue;
            if (JBOSS_MODULES.equals(d.name())) {
                // jboss-modules itself is not under modules/ but beside it
                Path jar = modulesDir.toAbsolutePath().getParent().resolve("jboss-modules.jar");
                if (Files.isRegularFile(jar)) jars.add(jar);
                continue;
            }
            Path descriptor = find(roots, d.name());
            if (descriptor == null) {
                if (d.optional()) continue;
                throw new IOException("module " + d.name() + " (needed by " + d.neededBy() + ") is not under " + modulesDir);
            }
            Element root = parse(descriptor);
            if ("module-alias".equals(root.getTagName())) {
                pending.add(new Dependency(root.getAttribute("target-name"), d.optional(), d.name()));
                continue;
            }
            NodeList resources = root.getElementsByTagName("resource-root");
            for (int i = 0; i < resources.getLength(); i++) {
                Path jar = descriptor.resolveSibling(((Element) resources.item(i)).getAttribute("path"));
                if (Files.isRegularFile(jar)) jars.add(jar);
            }
            NodeList dependencies = root.getElementsByTagName("dependencies");
            for (int i = 0; i < dependencies.getLength(); i++) {
                NodeList children = dependencies.item(i).getChildNodes();
                for (int j = 0; j < children.getLength(); j++) {
                    if (children.item(j) instanceof Element e && "module".equals(e.getTagName())) {
                        pending.add(new Dependency(e.getAttribute("name"), "true".equals(e.getAttribute("optional")), d.name()));
                    }
                }
            }
        }
        return new ArrayList<>(jars);
    }

    private record Dependency(String name, boolean optional, String neededBy) {
    }

    private static boolean isJdkModule(String name) {
        return name.startsWith("java.") || name.startsWith("jdk.");
    }

    /** The module roots of an installation: layers (base first) and add-ons, then the top directory. */
    private static List<Path> moduleRoots(Path modulesDir) throws IOException {
        if (!Files.isDirectory(modulesDir)) throw new IOException("not a directory: " + modulesDir);
        List<Path> roots = new ArrayList<>();
        Path layers = modulesDir.resolve("system/layers");
        Path base = layers.resolve("base");
        if (Files.isDirectory(base)) roots.add(base);
        for (Path dir : List.of(layers, modulesDir.resolve("system/add-ons"))) {
            if (!Files.isDirectory(dir)) continue;
            try (DirectoryStream<Path> children = Files.newDirectoryStream(dir, Files::isDirectory)) {
                for (Path c : children) if (!c.equals(base)) roots.add(c);
            }
        }
        roots.add(modulesDir);
        return roots;
    }

    private static Path find(List<Path> roots, String module) {
        String relative = module.replace('.', '/') + "/main/module.xml";
        for (Path root : roots) {
            Path candidate = root.resolve(relative);
            if (Files.isRegularFile(candidate)) return candidate;
        }
        return null;
    }

    private static Element parse(Path descriptor) throws IOException {
        try {
            DocumentBuilderFactory f = DocumentBuilderFactory.newInstance();
            f.setFeature("http://apache.org/xml/features/disallow-doctype-decl", true);
            return f.newDocumentBuilder().parse(descriptor.toFile()).getDocumentElement();
        } catch (ParserConfigurationException | SAXException e) {
            throw new IOException("cannot read " + descriptor + ": " + e.getMessage(), e);
        }
    }
}
