package io.tidegate.control.audit;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.List;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class AuditLogTest {

    @TempDir
    Path dir;

    @Test
    void entriesWithTabsAndNewlinesReadBackNewestFirstAndADamagedLineIsSkipped() throws Exception {
        AuditLog log = AuditLog.besideConfig(dir.resolve("tidegate.cfg"));
        AuditEntry first = new AuditEntry(Instant.parse("2026-01-01T10:00:00Z"), "ada", "edit", "tidegate.cfg",
                "a\tb\\c", "line1\nline2\r", AuditEntry.Outcome.DONE, "");
        AuditEntry second = new AuditEntry(Instant.parse("2026-01-01T10:01:00Z"), "JMX: tgmgmt", "set weight", "farm/webA",
                "10", "3", AuditEntry.Outcome.DONE, "");
        log.append(first);
        Files.writeString(log.path(), "garbage without tabs\n", java.nio.file.StandardOpenOption.APPEND);
        log.append(second);

        assertEquals(dir.resolve("tidegate.cfg.audit"), log.path());
        assertEquals(3, Files.readAllLines(log.path()).size(), "one line per entry");
        assertEquals(List.of(second, first), new AuditLog(log.path()).entries());
    }
}
