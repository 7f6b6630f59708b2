package dev.al4j.examples;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.io.StringWriter;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import javax.tools.JavaCompiler;
import javax.tools.JavaFileObject;
import javax.tools.SimpleJavaFileObject;
import javax.tools.ToolProvider;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The README's Java snippets compile against the current API (STYLE.md rule 14): each ```java block is wrapped in a
 * method whose parameters are the snippets' free variables, and compiled with the test class path. What the snippets
 * do is exercised by the modules' own tests and by the {@code al4j run} smoke test.
 */
class ReadmeSnippetsTest {

    private static final String IMPORTS = String.join("\n",
            "import dev.al4j.core.*;", "import dev.al4j.core.io.*;", "import dev.al4j.strategies.*;",
            "import dev.al4j.metrics.*;", "import dev.al4j.dl4j.*;", "import dev.al4j.examples.data.*;",
            "import java.nio.file.*;", "import java.time.*;", "import org.nd4j.linalg.api.ndarray.INDArray;");

    /** Free variables a snippet may use without declaring them, as method parameters. */
    private static final String[][] PARAMETERS = {{"Pool", "pool"}, {"Learner<?>", "learner"},
        {"Oracle", "oracle"}, {"int[]", "labeledIds"}, {"int[]", "labels"}};

    private static String parametersFor(String code) {
        List<String> declared = new ArrayList<>();
        for (String[] p : PARAMETERS) {
            if (!Pattern.compile("\\b" + p[1] + "\\s*=[^=]").matcher(code).find()) {
                declared.add(p[0] + " " + p[1]);
            }
        }
        return String.join(", ", declared);
    }

    @Test
    void everyJavaSnippetCompiles(@TempDir Path out) throws IOException {
        String readme = Files.readString(Path.of("..", "README.md"));
        Matcher m = Pattern.compile("```java\\n(.*?)```", Pattern.DOTALL).matcher(readme);
        List<JavaFileObject> sources = new ArrayList<>();
        while (m.find()) {
            String name = "Snippet" + sources.size();
            String code = IMPORTS + "\nclass " + name + " {\n  static void run(" + parametersFor(m.group(1))
                    + ") throws Exception {\n" + m.group(1) + "\n  }\n}\n";
            sources.add(new SimpleJavaFileObject(URI.create("string:///" + name + ".java"),
                    JavaFileObject.Kind.SOURCE) {
                @Override
                public CharSequence getCharContent(boolean ignoreEncodingErrors) {
                    return code;
                }
            });
        }
        assertTrue(sources.size() >= 3, "README should hold at least 3 Java snippets, found " + sources.size());
        JavaCompiler compiler = ToolProvider.getSystemJavaCompiler();
        assertNotNull(compiler, "tests need a JDK, not a JRE");
        StringWriter diagnostics = new StringWriter();
        boolean ok = compiler.getTask(diagnostics, null, null,
                List.of("-classpath", System.getProperty("java.class.path"), "-d", out.toString(), "-proc:none"),
                null, sources).call();
        assertTrue(ok, "README snippets do not compile:\n" + diagnostics);
        assertEquals("", diagnostics.toString().strip(), "README snippets compile with warnings");
    }
}
