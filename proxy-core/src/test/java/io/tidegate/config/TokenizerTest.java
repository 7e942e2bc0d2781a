package io.tidegate.config;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Test;

/** HAProxy's lexical rules: comments, quotes, escapes, environment variables, positions. */
class TokenizerTest {

    private final List<ConfigProblem> problems = new ArrayList<>();
    private final Tokenizer tokenizer = new Tokenizer("t.cfg",
            name -> Map.of("PORT", "8080", "HOST", "127.0.0.1").get(name), problems::add);

    private List<List<String>> words(String text) {
        return tokenizer.lines(text).stream().map(l -> l.words().stream().map(Word::text).toList()).toList();
    }

    private List<String> line(String text) {
        List<List<String>> lines = words(text);
        assertEquals(1, lines.size(), "lines of " + text);
        return lines.get(0);
    }

    @Test
    void hashStartsACommentAnywhereUnlessQuotedOrEscaped() {
        assertEquals(List.of(List.of("mode", "http"), List.of("bind", ":80")),
                words("# a comment\nmode http # trailing\n   # indented comment\nbind :80#glued\n"));
        assertEquals(List.of("monitor-uri", "/a#b"), line("monitor-uri /a\\#b"));
        assertEquals(List.of("monitor-uri", "/a #b"), line("monitor-uri \"/a #b\""));
        assertEquals(List.of("monitor-uri", "/a #b"), line("monitor-uri '/a #b'"));
        assertEquals(List.of(), problems);
    }

    @Test
    void quotesJoinWithTheirNeighboursIntoOneWord() {
        assertEquals(List.of("x", "foo barbaz", "a'b", "c\"d", ""), line("x \"foo bar\"baz \"a'b\" 'c\"d' \"\""));
        assertEquals(List.of("x", "one word"), line("x one\\ word"));
    }

    @Test
    void backslashEscapes() {
        assertEquals(List.of("x", "a\\b", "q\"", "s'", "\r\n\t", "AB", "\\.", "\\1", "$"),
                line("x a\\\\b q\\\" s\\' \\r\\n\\t \\x41\\x42 \\. \\1 \\$"));
        // nothing is interpreted inside single quotes
        assertEquals(List.of("x", "\\n$PORT\\"), line("x '\\n$PORT\\'"));
    }

    @Test
    void environmentVariablesExpandOnlyInDoubleQuotes() {
        assertEquals(List.of("bind", "127.0.0.1:8080"), line("bind \"$HOST:${PORT}\""));
        assertEquals(List.of("bind", "$HOST:${PORT}"), line("bind $HOST:${PORT}"));
        assertEquals(List.of("x", "$HOST"), line("x \"\\$HOST\""));
        assertEquals(List.of("x", "[]"), line("x \"[$UNSET_VARIABLE]\""), "an unset variable expands to nothing");
        assertEquals(List.of("x", "5$"), line("x \"5$\""));
    }

    @Test
    void positionsAreOneBasedLineAndColumnOfTheWordStart() {
        List<ConfigLine> lines = tokenizer.lines("\r\n  listen  web\r\n\tbind \"a b\"\n");
        assertEquals(2, lines.size());
        assertEquals(new SourcePos("t.cfg", 2, 3).toString(), lines.get(0).word(0).pos().toString());
        assertEquals("t.cfg:2:11", lines.get(0).word(1).pos().toString());
        assertEquals("t.cfg:3:2", lines.get(1).word(0).pos().toString());
        assertEquals("t.cfg:3:7", lines.get(1).word(1).pos().toString());
        assertEquals("web", lines.get(0).word(1).text(), "CR of CRLF endings is not part of a word");
    }

    @Test
    void unterminatedQuotesAndTrailingBackslashAreErrors() {
        words("a \"open\nb 'open\nc d\\\n");
        assertEquals(List.of("t.cfg:1:3: error: unterminated double quote",
                        "t.cfg:2:3: error: unterminated single quote",
                        "t.cfg:3:4: error: backslash at end of line: the HAProxy syntax has no line continuation "
                                + "(write the whole statement on one line, or '\\\\' for a backslash)"),
                problems.stream().map(ConfigProblem::toString).toList());
    }

    @Test
    void writerQuotingReadsBack() {
        for (String w : List.of("plain", "", "a b", "#x", "it's", "say \"hi\"", "$HOME", "back\\slash", "tab\there",
                "both ' and \" and $ and \\", "line\nbreak", "\u0001ctl")) {
            assertEquals(List.of("x", w), line("x " + ConfigWriter.quote(w)), "word " + w);
        }
    }
}
