package io.tidegate.cli;

import io.tidegate.config.StatsSocket.Level;
import java.util.List;

/**
 * One client's conversation in HAProxy's line protocol, independent of the socket: a line holds one
 * or more commands separated by {@code ;}; each answer is followed by an empty line. Without
 * {@code prompt} the connection ends after the first line; {@code prompt} switches to interactive
 * mode, where each answer is followed by {@code > } and the next line is read until {@code quit} (or
 * another {@code prompt}, which switches back). {@code user} and {@code operator} lower the level.
 */
public final class CliConversation {
    private final CliCommands commands;
    private Level level;
    private boolean interactive;
    private boolean done;

    public CliConversation(CliCommands commands, Level level) {
        this.commands = commands;
        this.level = level;
    }

    /** The answer to one line; {@link #done()} tells whether the connection ends after it. */
    public String line(String line) {
        StringBuilder out = new StringBuilder();
        for (List<String> command : CommandLine.split(line)) {
            switch (command.get(0)) {
                case "quit" -> {
                    done = true;
                    return out.toString();
                }
                case "prompt" -> {
                    interactive = !interactive;
                    out.append('\n');
                }
                case "user" -> {
                    level = Level.USER;
                    out.append('\n');
                }
                case "operator" -> {
                    if (level.allows(Level.OPERATOR)) {
                        level = Level.OPERATOR;
                        out.append('\n');
                    } else {
                        out.append(CliCommands.PERMISSION_DENIED).append('\n');
                    }
                }
                default -> out.append(commands.execute(command, level)).append('\n');
            }
        }
        if (interactive) {
            out.append("> ");
        } else {
            done = true;
        }
        return out.toString();
    }

    /** True once the connection should close (after a line outside interactive mode, or {@code quit}). */
    public boolean done() {
        return done;
    }

    public boolean interactive() {
        return interactive;
    }

    public Level level() {
        return level;
    }
}
