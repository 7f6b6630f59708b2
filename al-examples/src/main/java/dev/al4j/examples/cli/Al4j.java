package dev.al4j.examples.cli;

import picocli.CommandLine;
import picocli.CommandLine.Command;

/**
 * The {@code al4j} command: {@code al4j run} for experiments, {@code al4j select} for one query on precomputed
 * {@code .npy} arrays, {@code al4j metrics} for the measures of a set of predictions.
 */
@Command(name = "al4j", mixinStandardHelpOptions = true, version = "al4j 0.1.0-SNAPSHOT",
        description = "Deep active learning for Java: experiments and one-shot selection.",
        subcommands = {RunCommand.class, CommandLine.HelpCommand.class})
public final class Al4j implements Runnable {

    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    /** Runs the command line and exits with its code. */
    public static void main(String[] args) {
        System.exit(execute(args));
    }

    /** Runs the command line in-process and returns the exit code (for tests and embedding). */
    public static int execute(String... args) {
        return new CommandLine(new Al4j()).setCaseInsensitiveEnumValuesAllowed(true).execute(args);
    }

    @Override
    public void run() {
        spec.commandLine().usage(System.err);
    }
}
