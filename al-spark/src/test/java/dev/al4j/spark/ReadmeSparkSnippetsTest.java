package dev.al4j.spark;

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
 * The README's al-spark snippets (fenced {@code ```java al-spark}, which al-examples' README test leaves out since
 * no other module may depend on al-spark) compile against the current API, wrapped in a method that takes
 * {@code SparkSession spark}.
 */
class ReadmeSparkSnippetsTest {

    @Test
    void everySparkSnippetCompiles(@TempDir Path out) throws IOException {
        String readme = Files.readString(Path.of("..", "README.md"));
        Matcher m = Pattern.compile("```java al-spark\\n(.*?)```", Pattern.DOTALL).matcher(readme);
        List<JavaFileObject> sources = new ArrayList<>();
        while (m.find()) {
            String name = "SparkSnippet" + sources.size();
            String code = "import dev.al4j.spark.*;\nimport org.apache.spark.sql.*;\nclass " + name
                    + " {\n  static void run(SparkSession spark) {\n" + m.group(1) + "\n  }\n}\n";
            sources.add(new SimpleJavaFileObject(URI.create("string:///" + name + ".java"),
                    JavaFileObject.Kind.SOURCE) {
                @Override
                public CharSequence getCharContent(boolean ignoreEncodingErrors) {
                    return code;
                }
            });
        }
        assertTrue(sources.size() >= 1, "README should hold an al-spark snippet");
        JavaCompiler compiler = ToolProvider.getSystemJavaCompiler();
        assertNotNull(compiler, "tests need a JDK, not a JRE");
        StringWriter diagnostics = new StringWriter();
        boolean ok = compiler.getTask(diagnostics, null, null,
                List.of("-classpath", System.getProperty("java.class.path"), "-d", out.toString(), "-proc:none"),
                null, sources).call();
        assertTrue(ok, "README's al-spark snippets do not compile:\n" + diagnostics);
        assertEquals("", diagnostics.toString().strip(), "README's al-spark snippets compile with warnings");
    }
}
