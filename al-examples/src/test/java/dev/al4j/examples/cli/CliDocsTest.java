package dev.al4j.examples.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
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
        Set<String> registered = Arrays.stream(StrategyName.values()).map(StrategyName::cliName)
                .collect(Collectors.toCollection(TreeSet::new));
        assertEquals(registered, documented);
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
