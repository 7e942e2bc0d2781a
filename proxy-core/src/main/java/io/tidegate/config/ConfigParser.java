package io.tidegate.config;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.UnaryOperator;
import java.util.stream.Collectors;

/**
 * Reads HAProxy-syntax text into a {@link Config}: the lexical rules of {@link Tokenizer}, the
 * sections {@code global}, {@code defaults}, {@code listen}, {@code frontend}, {@code backend}, and
 * both the 1.4 spellings of the seed guide and the modern ones (see /work/shared/SPEC.md):
 * <ul>
 *   <li>{@code listen NAME ADDR:PORT[,ADDR:PORT]} = {@code listen NAME} + {@code bind ADDR:PORT};</li>
 *   <li>{@code listen ADDR:PORT} (one argument written as an address) = a listen section named
 *       after the address and bound to it, unless the section has {@code bind} lines of its own: then
 *       the header is only a name (this is how {@link ConfigWriter} writes such a section);</li>
 *   <li>{@code contimeout/clitimeout/srvtimeout} = {@code timeout connect/client/server};
 *       {@code redispatch} = {@code option redispatch};</li>
 *   <li>{@code dispatch ADDR:PORT} = a server named {@code dispatch}.</li>
 * </ul>
 * Several sources parse as one configuration, in order (like HAProxy's repeated {@code -f}).
 * Parsing never stops at the first problem: every error is collected, with its position.
 * Whole-file checks: duplicate proxy names, {@code default_backend}/{@code use_backend} naming no
 * backend. Whether Tidegate implements what was written is checked afterwards by
 * {@link ConfigValidator} from {@link ParsedConfig#features()}.
 */
public final class ConfigParser {

    private static final Set<String> SECTIONS = Set.of("global", "defaults", "listen", "frontend", "backend");
    private static final Set<String> OTHER_HAPROXY_SECTIONS = Set.of("peers", "resolvers", "mailers",
            "cache", "program", "http-errors", "ring", "log-forward", "fcgi-app", "crt-store", "traces", "acme");

    private final UnaryOperator<String> environment;

    /** Expands environment variables in double-quoted words from the process environment. */
    public ConfigParser() {
        this(System::getenv);
    }

    /** @param environment variable lookup for {@code "$NAME"} / {@code "${NAME}"} ({@code null} = unset) */
    public ConfigParser(UnaryOperator<String> environment) {
        this.environment = environment;
    }

    public ParsedConfig parse(String source, String text) {
        return parse(List.of(new ConfigSource(source, text)));
    }

    public ParsedConfig parse(List<ConfigSource> sources) {
        if (sources.isEmpty()) {
            throw new IllegalArgumentException("no configuration source");
        }
        ParseContext ctx = new ParseContext(environment);
        Run run = new Run(ctx);
        for (ConfigSource s : sources) {
            Tokenizer tokenizer = new Tokenizer(s.name(), environment, ctx::add);
            for (ConfigLine line : tokenizer.lines(s.text())) {
                run.line(line);
            }
        }
        run.closeSection();
        String name = sources.stream().map(ConfigSource::name).collect(Collectors.joining(","));
        Config config = new Config(name, run.global, run.sections, run.userlists);
        run.checkWholeFile(config);
        return new ParsedConfig(config, ctx.problems(), ctx.features());
    }

    /** The state of one parse. */
    private static final class Run {
        private final ParseContext ctx;
        private final ProxyStatementParser proxyStatements;
        private final GlobalStatementParser globalStatements;
        private final List<Section> sections = new ArrayList<>();
        /** The statistics page of the last defaults section (inherited by the frontends and listens after it). */
        private StatsPage defaultsStatsPage;
        /** Parallel to the proxies in {@link #sections}: the drafts, which keep the words of references. */
        private final List<ProxyDraft> drafts = new ArrayList<>();
        private GlobalSection global = GlobalSection.EMPTY;
        private final List<Userlist> userlists = new ArrayList<>();
        private UserlistParser userlist;
        private ProxyDraft current;
        private boolean inGlobal;
        private boolean skipping;

        Run(ParseContext ctx) {
            this.ctx = ctx;
            this.proxyStatements = new ProxyStatementParser(ctx);
            this.globalStatements = new GlobalStatementParser(ctx, proxyStatements);
        }

        void line(ConfigLine line) {
            String keyword = line.keyword().text();
            if (SECTIONS.contains(keyword)) {
                closeSection();
                openSection(line);
            } else if (keyword.equals("userlist")) {
                closeSection();
                openUserlist(line);
            } else if (OTHER_HAPROXY_SECTIONS.contains(keyword)) {
                closeSection();
                ctx.error(line.keyword(), "'" + keyword + "' sections are not supported yet; supported sections: "
                        + "global, defaults, listen, frontend, backend, userlist");
                skipping = true;
            } else if (skipping) {
                return;
            } else if (userlist != null) {
                report(() -> userlist.apply(line));
            } else if (inGlobal) {
                global = globalStatements.apply(line, global);
            } else if (current != null) {
                proxyStatements.apply(line, current);
            } else {
                ctx.error(line.keyword(), "'" + keyword + "' outside of any section; a file is made of sections "
                        + "starting with global, defaults, listen, frontend or backend");
            }
        }

        private void openSection(ConfigLine line) {
            skipping = false;
            Word keyword = line.keyword();
            SectionType type = SectionType.valueOf(keyword.text().toUpperCase(java.util.Locale.ROOT));
            if (type == SectionType.GLOBAL) {
                inGlobal = true;
                if (global.isEmpty() && global.pos().sameLocation(SourcePos.UNKNOWN)) {
                    global = global.withPos(keyword.pos());
                }
                report(() -> ProxyStatementParser.exactly(line, 1));
                return;
            }
            if (type != SectionType.DEFAULTS && line.size() < 2) {
                ctx.error(keyword, keyword.text() + " needs a name, e.g. '" + keyword.text() + " web'"
                        + (type == SectionType.BACKEND ? "" : " (or, 1.4 style, an address: '" + keyword.text()
                        + " 0.0.0.0:80')") + "; the lines of this section are skipped");
                skipping = true;
                return;
            }
            Word first = line.size() > 1 ? line.word(1) : null;
            boolean unnamed = type != SectionType.DEFAULTS && type != SectionType.BACKEND && line.size() == 2
                    && Addresses.looksLikeListenAddress(first.text());
            current = new ProxyDraft(type, first == null ? null : first.text(), keyword.pos());
            if (type == SectionType.FRONTEND || type == SectionType.LISTEN) current.inheritedStatsPage = defaultsStatsPage;
            ctx.use(type.keyword(), keyword.pos());
            if (first != null && !unnamed) {
                report(() -> ProxyStatementParser.checkName(first, type == SectionType.DEFAULTS ? "defaults" : "proxy"));
            }
            switch (type) {
                case DEFAULTS, BACKEND -> {
                    if (line.size() > 2) {
                        ctx.error(line.word(2), type == SectionType.BACKEND
                                ? "a backend has no address; put servers in it with 'server NAME ADDRESS'"
                                : "unexpected '" + line.text(2) + "' after defaults NAME");
                    }
                }
                case LISTEN, FRONTEND -> {
                    if (line.size() > 3) {
                        ctx.error(line.word(3), "unexpected '" + line.text(3) + "' after " + keyword.text()
                                + " NAME ADDRESS");
                    }
                    Word address = unnamed ? first : line.size() >= 3 ? line.word(2) : null;
                    if (address != null) {
                        ProxyDraft draft = current;
                        if (unnamed) {
                            report(() -> draft.nameBind = proxyStatements.binds(address).get(0));
                        } else {
                            report(() -> draft.headerBinds.addAll(proxyStatements.binds(address)));
                        }
                        ctx.use("bind", keyword.text() + " " + (unnamed ? "ADDRESS" : "NAME ADDRESS"), address.pos());
                    }
                }
                default -> throw new IllegalStateException(type.toString());
            }
        }

        private void openUserlist(ConfigLine line) {
            skipping = false;
            if (line.size() != 2) {
                ctx.error(line.size() < 2 ? line.keyword() : line.word(2), line.size() < 2
                        ? "userlist needs a name, e.g. 'userlist admins'; the lines of this section are skipped"
                        : "unexpected '" + line.text(2) + "' after userlist NAME");
                if (line.size() < 2) {
                    skipping = true;
                    return;
                }
            }
            Word name = line.word(1);
            for (Userlist u : userlists) {
                if (u.name().equals(name.text())) {
                    ctx.error(name, "duplicate userlist '" + name.text() + "' (first at " + u.pos() + ")");
                }
            }
            ctx.use("userlist", line.pos());
            userlist = new UserlistParser(ctx, name.text(), line.pos());
        }

        private void report(Runnable check) {
            try {
                check.run();
            } catch (StatementError e) {
                ctx.error(e.at, e.getMessage());
            }
        }

        void closeSection() {
            if (userlist != null) {
                userlists.add(userlist.finish());
                userlist = null;
            }
            if (current != null) {
                if (current.type == SectionType.DEFAULTS) {
                    defaultsStatsPage = current.statsPage;     // a new defaults section starts from nothing
                }
                sections.add(current.build());
                if (current.type != SectionType.DEFAULTS) {
                    RuleParser.warnUninspectedContent(current, ctx);
                    drafts.add(current);
                }
            }
            current = null;
            inGlobal = false;
        }

        void checkWholeFile(Config config) {
            // as HAProxy 2.6: a name is unique per side, so a frontend and a backend may share one
            // (a listen section is both sides, so it conflicts with either)
            Map<String, ProxyDraft> frontendNames = new HashMap<>();
            Map<String, ProxyDraft> backendNames = new HashMap<>();
            for (ProxyDraft d : drafts) {
                ProxyDraft earlier = null;
                if (d.type != SectionType.BACKEND) earlier = frontendNames.putIfAbsent(d.name, d);
                if (d.type != SectionType.FRONTEND) {
                    ProxyDraft b = backendNames.putIfAbsent(d.name, d);
                    if (earlier == null) earlier = b;
                }
                if (earlier != null) {
                    ctx.error(d.pos, d.describe() + " has the same name as " + earlier.describe()
                            + " declared at " + earlier.pos);
                }
            }
            for (Section s : config.sections()) {
                if (s instanceof DefaultsSection ds && ds.defaultBackend() != null) {
                    checkBackendReference(config, ds.defaultBackend(), "default_backend", ds.pos());
                }
            }
            for (ProxyDraft d : drafts) {
                if (d.defaultBackend != null) {
                    checkBackendReference(config, d.defaultBackend.text(), "default_backend", d.defaultBackend.pos());
                }
                for (Word w : d.useBackends) {
                    checkBackendReference(config, w.text(), "use_backend", w.pos());
                }
                for (Word w : d.logFormatBackends) {
                    checkBackendReference(config, w.text(), "log-format %[nbsrv]", w.pos());
                }
                for (ProxyRule r : d.rules) {
                    if (r.acl() != null) checkUserlistReference(config, r.acl());
                    if (r.acl() != null) checkTableReference(config, d.name, r.acl());
                    if (r.action().equals("track-sc")) {
                        checkTable(config, r.param("table") == null ? d.name : r.param("table"), r.param("table") != null,
                                "track-sc" + r.param("counter"), r.pos());
                    }
                    if (r.condition() == null) continue;
                    for (List<Condition.Term> terms : r.condition().alternatives()) {
                        for (Condition.Term t : terms) {
                            if (t.name().startsWith("{")) t.acls().forEach(a -> checkTableReference(config, d.name, a));
                            if (t.name().startsWith("{")) t.acls().forEach(a -> checkUserlistReference(config, a));
                        }
                    }
                }
                if (d.type != SectionType.BACKEND && !d.hasBinds()) {
                    ctx.warning(d.pos, d.describe() + " has no bind: it accepts no traffic");
                }
                if (d.nameBind != null && !d.binds.isEmpty()
                        && d.binds.stream().noneMatch(b -> b.address().equals(d.nameBind.address()))) {
                    ctx.warning(d.pos, d.describe() + " has bind lines, so it does not listen on "
                            + d.nameBind.address() + ", the address its name spells");
                }
            }
            for (ProxySection p : config.backends()) {
                if (!p.settings().tcpCheckRules().isEmpty()
                        && config.effective(p).healthCheck().kind() != CheckKind.TCP_CHECK) {
                    ctx.warning(p.pos(), p.kind().keyword() + " '" + p.name() + "' uses tcp-check rules without "
                            + "'option tcp-check', so the rules are ignored");
                }
            }
            for (ProxySection p : config.proxies()) {
                if (p.kind() == ProxyKind.FRONTEND && p.useBackends().isEmpty() && p.conditionalBackends().isEmpty() && config.backendOf(p).isEmpty()
                        && !namesADefaultBackend(config, p)) {
                    ctx.warning(p.pos(), "frontend '" + p.name() + "' has no default_backend: "
                            + "its requests get 503");
                }
            }
        }

        private static boolean namesADefaultBackend(Config config, ProxySection p) {
            return p.defaultBackend() != null || config.defaultsOf(p).map(DefaultsSection::defaultBackend).isPresent();
        }

        /** src_*([TABLE]), table_cnt([TABLE]) and sc_*(N,TABLE) / scN_*(TABLE) name a section with a stick-table. */
        private void checkTableReference(Config config, String proxy, AclDef acl) {
            CounterFetch c = CounterFetch.parse(acl.fetch()).orElse(null);
            if (c == null && !acl.fetch().equals("table_cnt")) return;
            int at = c == null ? 0 : c.tableArgument();
            boolean named = acl.fetchArgs().size() > at;
            if (!named && c != null && c.form() != CounterFetch.Form.SRC) return;     // the tracked entry's own table
            checkTable(config, named ? acl.fetchArgs().get(at).strip() : proxy, named, acl.fetch(), acl.pos());
        }

        private void checkTable(Config config, String table, boolean named, String what, SourcePos pos) {
            boolean found = config.proxy(table).map(p -> !p.rules(ProxyRule.Phase.STICK_TABLE).isEmpty()).orElse(false);
            if (found) return;
            String known = config.proxies().stream().filter(p -> !p.rules(ProxyRule.Phase.STICK_TABLE).isEmpty())
                    .map(ProxySection::name).collect(Collectors.joining(", "));
            ctx.error(pos, what + ": " + (named ? "no section named '" + table + "' has a stick-table"
                    : "'" + table + "' has no stick-table; name one, e.g. 'table NAME'")
                    + (known.isEmpty() ? " (there is none)" : " (stick tables: " + known + ")"));
        }

        /** http_auth(L) and http_auth_group(L) name a userlist of the file. */
        private void checkUserlistReference(Config config, AclDef acl) {
            if (!acl.fetch().equals("http_auth") && !acl.fetch().equals("http_auth_group")) return;
            String name = acl.fetchArgs().get(0).strip();
            if (config.userlist(name).isPresent()) return;
            String known = config.userlists().stream().map(Userlist::name).collect(Collectors.joining(", "));
            ctx.error(acl.pos(), acl.fetch() + "(" + name + "): no userlist has this name"
                    + (known.isEmpty() ? " (there is none)" : " (userlists: " + known + ")"));
        }

        private void checkBackendReference(Config config, String name, String keyword, SourcePos pos) {
            if (config.backend(name).isPresent()) {
                return;
            }
            if (config.frontend(name).isPresent()) {
                ctx.error(pos, keyword + " '" + name + "' names a frontend; it must name a backend or listen section");
                return;
            }
            String known = config.backends().stream().map(ProxySection::name).collect(Collectors.joining(", "));
            ctx.error(pos, keyword + " '" + name + "': no backend or listen section has this name"
                    + (known.isEmpty() ? " (there is none)" : " (backends: " + known + ")"));
        }

    }
}
