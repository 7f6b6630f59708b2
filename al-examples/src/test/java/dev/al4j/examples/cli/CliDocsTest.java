package dev.al4j.examples.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.al4j.strategies.StrategyCatalog;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import picocli.CommandLine;
import picocli.CommandLine.Model.OptionSpec;

/** {@code docs/cli.md} documents exactly the strategies and options the command has. */
class CliDocsTest {

    private static String doc() throws IOException {
        // Surefire runs in the module directory; the docs sit at the repository root.
        return Files.readString(Path.of("..", "docs", "cli.md"));
    }

    @Test
    void strategyTableListsExactlyTheRegistry() throws IOException {
        String doc = doc();
        String section = doc.substring(doc.indexOf("### Strategies"), doc.indexOf("### Output"));
        Matcher row = Pattern.compile("(?m)^\\| `([a-z0-9-]+)` \\|").matcher(section);
        Set<String> documented = new TreeSet<>();
        while (row.find()) {
            documented.add(row.group(1));
        }
        Set<String> registered = new TreeSet<>(StrategyChoice.CATALOG.names());
        assertEquals(registered, documented);
    }

    /** The words of the table's "reads" column for what the catalog says each strategy reads. */
    private static String documentedReads(StrategyCatalog.Entry strategy) {
        if (!StrategyChoice.runsOnSavedOutputs(strategy)) {
            return "`run` only";
        }
        switch (strategy.reads()) {
            case NOTHING:
                return "nothing";
            case PROBABILITIES:
                return "probs";
            case MC_PASSES:
                return "mc-probs";
            case EMBEDDINGS:
                return "embeddings";
            default:
                throw new AssertionError(strategy + " reads " + strategy.reads() + " but runs on saved outputs");
        }
    }

    @Test
    void strategyTableSaysWhatEachStrategyReads() throws IOException {
        String doc = doc();
        String section = doc.substring(doc.indexOf("### Strategies"), doc.indexOf("### Output"));
        Matcher row = Pattern.compile("(?m)^\\| `([a-z0-9-]+)` \\| ([^|]*) \\|").matcher(section);
        int rows = 0;
        while (row.find()) {
            StrategyCatalog.Entry strategy = StrategyChoice.parse(row.group(1));
            String reads = row.group(2);
            assertTrue(reads.contains(documentedReads(strategy)), () -> "docs/cli.md says " + strategy + " reads '"
                    + reads + "', the catalog: " + strategy.reads().description());
            rows++;
        }
        assertEquals(StrategyChoice.CATALOG.entries().size(), rows);
    }

    @Test
    void everyOptionOfEveryCommandIsDocumented() throws IOException {
        String doc = doc();
        CommandLine al4j = new CommandLine(new Al4j());
        for (String command : new String[] {"select", "metrics", "run", "label", "report"}) {
            String section = doc.substring(doc.indexOf("## `al4j " + command + "`"));
            for (OptionSpec option : al4j.getSubcommands().get(command).getCommandSpec().options()) {
                String name = option.longestName();
                if (name.equals("--help") || name.equals("--version")) {
                    continue;
                }
                assertTrue(section.contains("`" + name) || section.contains(name + " "),
                        () -> "docs/cli.md, section al4j " + command + ", does not mention " + name);
            }
        }
    }
}
