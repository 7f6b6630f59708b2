package dev.al4j.examples.cli;

import java.io.IOException;
import java.io.UncheckedIOException;
import picocli.CommandLine;
import picocli.CommandLine.Command;

/**
 * The {@code al4j} command: {@code al4j run} for experiments, {@code al4j select} for one query on precomputed
 * {@code .npy} arrays, {@code al4j metrics} for the measures of a set of predictions, {@code al4j report} to merge
 * the output directories of several runs. The public contract is in {@code docs/cli.md}.
 *
 * <p>Exit codes: 0 on success; 2 for bad input (a wrong option, a missing or malformed file, a shape mismatch, NaN,
 * ...), with a one-line reason on stderr; 1 for an internal error, with its stack trace on stderr.
 */
@Command(name = "al4j", mixinStandardHelpOptions = true, version = "al4j 0.1.0-SNAPSHOT",
        description = "Deep active learning for Java: experiments and one-shot selection.",
        subcommands = {RunCommand.class, LabelCommand.class, SelectCommand.class, MetricsCommand.class, ReportCommand.class,
            CommandLine.HelpCommand.class})
public final class Al4j implements Runnable {

    /** Exit code for bad input. */
    static final int BAD_INPUT = 2;
    /** Exit code for an internal error. */
    static final int INTERNAL_ERROR = 1;

    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    /** Runs the command line and exits with its code. */
    public static void main(String[] args) {
        System.exit(execute(args));
    }

    /**
     * Runs the command line in-process and returns the exit code (for tests and embedding). Output goes to the
     * {@code System.out} and {@code System.err} of the moment of the call.
     */
    public static int execute(String... args) {
        CommandLine line = new CommandLine(new Al4j()).setCaseInsensitiveEnumValuesAllowed(true);
        line.setParameterExceptionHandler((e, arguments) -> {
            String name = e.getCommandLine().getCommandSpec().qualifiedName();
            System.err.println(name + ": " + ArrayFiles.oneLine(e.getMessage()) + " (see " + name + " --help)");
            return BAD_INPUT;
        });
        line.setExecutionExceptionHandler((e, command, parsed) -> {
            String name = command.getCommandSpec().qualifiedName();
            if (isBadInput(e)) {
                System.err.println(name + ": " + ArrayFiles.oneLine(e.getMessage()));
                return BAD_INPUT;
            }
            System.err.println(name + ": internal error: " + e);
            e.printStackTrace(System.err);
            return INTERNAL_ERROR;
        });
        return line.execute(args);
    }

    /** Whether an exception thrown by a command reports bad input rather than a defect. */
    private static boolean isBadInput(Exception e) {
        return e instanceof IllegalArgumentException || e instanceof IndexOutOfBoundsException
                || e instanceof IOException || e instanceof UncheckedIOException;
    }

    @Override
    public void run() {
        spec.commandLine().usage(System.err);
    }
}
