package io.tidegate.control.state;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.tidegate.engine.AdminState;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ServerStateFileTest {

    @TempDir
    Path dir;

    @Test
    void savedStatesComeBackAndUnchangedServersAreNotWritten() throws IOException {
        ServerStateFile file = ServerStateFile.besideConfig(dir.resolve("tidegate.cfg"));
        SavedServerState drained = new SavedServerState("farm", "webA", "127.0.0.1:8081", null, AdminState.DRAIN);
        SavedServerState heavier = new SavedServerState("farm", "webB", "127.0.0.1:8082", 200, AdminState.READY);
        SavedServerState untouched = new SavedServerState("farm", "webC", "127.0.0.1:8083", null, AdminState.READY);

        file.save(List.of(drained, heavier, untouched));

        assertEquals(dir.resolve("tidegate.cfg.state"), file.path());
        ServerStateFile.Loaded loaded = file.load();
        assertEquals(List.of(drained, heavier), loaded.states());
        assertEquals(List.of(), loaded.problems());
        try (var listing = Files.list(dir)) {
            assertEquals(1, listing.count(), "no temporary file is left behind");
        }
    }

    @Test
    void aMissingFileIsAnEmptyState() {
        ServerStateFile.Loaded loaded = new ServerStateFile(dir.resolve("absent.state")).load();
        assertTrue(loaded.states().isEmpty());
        assertTrue(loaded.problems().isEmpty());
    }

    @Test
    void damagedLinesAreReportedWithTheirLineAndSkipped() throws IOException {
        Path path = dir.resolve("tidegate.cfg.state");
        Files.writeString(path, ServerStateFile.HEADER + "\n"
                + "farm\twebA\t127.0.0.1:8081\t-\tMAINT\n"
                + "farm\twebB\t127.0.0.1:8082\tlots\tREADY\n"
                + "garbage\n"
                + "farm\twebD\t127.0.0.1:8084\t999\tREADY\n"
                + "farm\twebE\t127.0.0.1:8085\t10\tSLEEPING\n");

        ServerStateFile.Loaded loaded = new ServerStateFile(path).load();

        assertEquals(List.of(new SavedServerState("farm", "webA", "127.0.0.1:8081", null, AdminState.MAINT)),
                loaded.states());
        assertEquals(4, loaded.problems().size(), String.join("\n", loaded.problems()));
        assertTrue(loaded.problems().get(0).contains(path + ":3:"), loaded.problems().get(0));
        assertTrue(loaded.problems().get(1).contains(":4:") && loaded.problems().get(1).contains("5 tab-separated"));
        assertTrue(loaded.problems().get(2).contains(":5:") && loaded.problems().get(2).contains("outside 0..256"));
        assertTrue(loaded.problems().get(3).contains(":6:") && loaded.problems().get(3).contains("SLEEPING"));
    }
}
