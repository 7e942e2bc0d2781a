package io.tidegate.admin;

import java.util.List;

/** One line of a unified diff with the style class the page colours it by (add / del / hunk / ctx). */
public record DiffLine(String text, String kind) {

    static List<DiffLine> of(List<String> unified) {
        return unified.stream().map(l -> new DiffLine(l, l.startsWith("+++") || l.startsWith("---") ? "file"
                : l.startsWith("+") ? "add" : l.startsWith("-") ? "del" : l.startsWith("@@") ? "hunk" : "ctx")).toList();
    }

    public String getText() {
        return text;
    }

    public String getKind() {
        return kind;
    }
}
