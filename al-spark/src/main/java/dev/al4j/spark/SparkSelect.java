package dev.al4j.spark;

import dev.al4j.core.io.Json;
import dev.al4j.core.io.MalformedArrayFileException;
import dev.al4j.core.io.Npy;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.Callable;
import org.apache.spark.sql.AnalysisException;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructField;
import org.apache.spark.sql.types.StructType;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * {@code al4j spark-select}: one query on Spark, over model outputs in {@code .npy} files (loaded by the driver and
 * parallelised) or in a Parquet table. Prints the JSON object of {@code al4j select} on stdout ({@code strategy},
 * {@code budget}, {@code selected}, {@code scores}, {@code queryMillis}; k-center adds {@code mode} and
 * {@code radius}, BADGE {@code mode} and {@code cost}); exit 0 on success, 2 with a one-line reason on stderr for bad input, 1 for an internal error.
 *
 * <p>The main class of {@code al-spark/target/al4j-spark.jar}, which {@code spark-submit --class
 * dev.al4j.spark.SparkSelect al4j-spark.jar ...} runs on a cluster unchanged; the repository's {@code ./al4j
 * spark-select ...} runs it locally. See {@code docs/cli.md}.
 *
 * <pre>{@code
 * ./al4j spark-select --master local[2] --strategy entropy --budget 100 --probs probs.npy
 * ./al4j spark-select --master local[2] --strategy kcenter --mode scalable --budget 100 \
 *     --parquet outputs.parquet --id-column id --embeddings-column emb
 * }</pre>
 */
@Command(name = "al4j spark-select", mixinStandardHelpOptions = true, sortOptions = false,
        description = {"One query on Apache Spark over model outputs in .npy files or a Parquet table: prints "
                + "{\"strategy\", \"budget\", \"selected\", \"scores\", \"queryMillis\"} as one JSON object on stdout."},
        exitCodeListHeading = "Exit codes:%n",
        exitCodeList = {"0:success", "2:bad input (one-line reason on stderr)", "1:internal error"})
public final class SparkSelect implements Callable<Integer> {

    static final int BAD_INPUT = 2;
    static final int INTERNAL_ERROR = 1;

    /** The strategy names, as {@code al4j select} spells them. */
    static final List<String> STRATEGIES = List.of("entropy", "margin", "least-confidence", "var-ratio", "bald",
            "mean-std", "entropy-mc", "margin-mc", "least-confidence-mc", "var-ratio-mc", "kcenter", "badge", "kmeans");

    @Option(names = "--master", paramLabel = "URL",
            description = "Spark master, e.g. local[2] (default: spark-submit's, else local[*]).")
    String master;

    @Option(names = "--strategy", required = true, paramLabel = "NAME",
            description = "entropy, margin, least-confidence, var-ratio, bald, mean-std, entropy-mc, margin-mc, "
                    + "least-confidence-mc, var-ratio-mc, kcenter, badge, kmeans.")
    String strategy;

    @Option(names = "--budget", required = true, paramLabel = "B", description = "Ids to select.")
    int budget;

    @Option(names = "--mode", paramLabel = "exact|scalable", defaultValue = "exact",
            description = "kcenter, badge: exact (one or two Spark jobs per pick) or scalable (composable core set, "
                    + "k-means||). The uncertainty "
                    + "strategies are exact in both (default: ${DEFAULT-VALUE}).")
    String mode;

    @Option(names = "--seed", paramLabel = "S", defaultValue = "0",
            description = "badge, kmeans: seed of the sampling (default: ${DEFAULT-VALUE}).")
    long seed;

    @Option(names = "--probs", paramLabel = "FILE", description = "Class probabilities [N, K] (.npy).")
    Path probs;

    @Option(names = "--embeddings", paramLabel = "FILE", description = "Embeddings [N, d] (.npy).")
    Path embeddings;

    @Option(names = "--mc-probs", paramLabel = "FILE", description = "MC-dropout probabilities [T, N, K] (.npy).")
    Path mcProbs;

    @Option(names = "--parquet", paramLabel = "PATH", description = "A Parquet table instead of .npy files.")
    String parquet;

    @Option(names = "--id-column", paramLabel = "NAME", defaultValue = "id",
            description = "Parquet: the long/int id column (default: ${DEFAULT-VALUE}).")
    String idColumn;

    @Option(names = "--probs-column", paramLabel = "NAME", description = "Parquet: array<float|double> column.")
    String probsColumn;

    @Option(names = "--embeddings-column", paramLabel = "NAME", description = "Parquet: array<float|double> column.")
    String embeddingsColumn;

    @Option(names = "--mc-probs-column", paramLabel = "NAME",
            description = "Parquet: array<array<float|double>> column (T passes of K).")
    String mcProbsColumn;

    @Option(names = "--labeled", paramLabel = "FILE", description = "Labeled ids, integer vector (.npy).")
    Path labeled;

    @Option(names = "--labels", paramLabel = "FILE", description = "Their classes, same order (.npy).")
    Path labels;

    @Option(names = "--partitions", paramLabel = "P",
            description = ".npy input: partitions to split the rows into (default: Spark's default parallelism).")
    Integer partitions;

    private final PrintStream out;

    private SparkSelect(PrintStream out) {
        this.out = out;
    }

    /** Runs the command line and exits with its code. */
    public static void main(String[] args) {
        System.exit(execute(System.out, System.err, args));
    }

    /** Runs the command line in this JVM and returns the exit code (for tests and embedding). */
    public static int execute(PrintStream out, PrintStream err, String... args) {
        CommandLine line = new CommandLine(new SparkSelect(out));
        line.setErr(new java.io.PrintWriter(err, true));
        line.setParameterExceptionHandler((e, arguments) -> {
            err.println("al4j spark-select: " + oneLine(e.getMessage()) + " (see al4j spark-select --help)");
            return BAD_INPUT;
        });
        line.setExecutionExceptionHandler((e, command, parsed) -> {
            if (e instanceof IllegalArgumentException || e instanceof IOException || e instanceof AnalysisException
                    || e instanceof IndexOutOfBoundsException) {
                err.println("al4j spark-select: " + oneLine(e.getMessage()));
                return BAD_INPUT;
            }
            err.println("al4j spark-select: internal error: " + e);
            e.printStackTrace(err);
            return INTERNAL_ERROR;
        });
        return line.execute(args);
    }

    @Override
    public Integer call() throws IOException {
        if (budget < 0) {
            throw new IllegalArgumentException("--budget must be >= 0, found " + budget);
        }
        if (!STRATEGIES.contains(strategy)) {
            throw new IllegalArgumentException("--strategy must be one of " + String.join(", ", STRATEGIES)
                    + ", found \"" + strategy + "\"");
        }
        Mode m = switch (mode) {
            case "exact" -> Mode.EXACT;
            case "scalable" -> Mode.SCALABLE;
            default -> throw new IllegalArgumentException("--mode must be exact or scalable, found \"" + mode + "\"");
        };
        if ((labeled == null) != (labels == null)) {
            throw new IllegalArgumentException(labeled == null ? "--labels needs --labeled (the ids they label)"
                    : "--labeled needs --labels (the classes of those ids)");
        }
        boolean npy = probs != null || embeddings != null || mcProbs != null;
        if (npy == (parquet != null)) {
            throw new IllegalArgumentException(npy ? "give either .npy files (--probs, --embeddings, --mc-probs) or"
                    + " --parquet, not both" : "give the outputs: .npy files (--probs, --embeddings, --mc-probs) or"
                    + " --parquet PATH with its columns");
        }
        if (npy && (probsColumn != null || embeddingsColumn != null || mcProbsColumn != null)) {
            throw new IllegalArgumentException("--probs-column, --embeddings-column and --mc-probs-column name"
                    + " columns of --parquet; with .npy files leave them out");
        }
        SparkStrategy query = strategy(strategy, m, seed);
        long[] labeledIds = new long[0];
        int[] labelValues = new int[0];
        if (labeled != null) {
            int[] ids = readInts("--labeled", labeled);
            labelValues = readInts("--labels", labels);
            if (ids.length != labelValues.length) {
                throw new IllegalArgumentException("--labeled and --labels must have the same length, found "
                        + ids.length + " and " + labelValues.length);
            }
            labeledIds = Arrays.stream(ids).asLongStream().toArray();
        }
        for (Object[] input : new Object[][] {{"--probs", probs}, {"--embeddings", embeddings},
                {"--mc-probs", mcProbs}}) {
            if (input[1] != null) {
                checkFile((String) input[0], (Path) input[1]); // before Spark starts
            }
        }
        SparkSession spark = session(master);
        SparkPool pool = npy ? npyPool(spark) : parquetPool(spark);
        try {
            pool = pool.withLabeled(labeledIds, labelValues);
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("--labeled/--labels: " + e.getMessage(), e);
        }
        SparkSelection selection = query.select(pool, budget);
        Json.Writer json = Json.writer().put("strategy", strategy).put("budget", budget)
                .put("selected", selection.ids())
                .put("scores", query instanceof KMeansOnSpark ? null : selection.scores())
                .put("queryMillis", selection.queryNanos() / 1e6);
        if (selection.radius().isPresent()) {
            json.put("mode", mode).put("radius", selection.radius().getAsDouble());
        }
        if (selection.cost().isPresent()) {
            if (!(query instanceof KMeansOnSpark)) {
                json.put("mode", mode);
            }
            json.put("cost", selection.cost().getAsDouble());
        }
        out.println(json);
        out.flush();
        return 0;
    }

    /** The strategy for a command-line name. */
    static SparkStrategy strategy(String name, Mode mode, long seed) {
        return switch (name) {
            case "entropy" -> SparkStrategies.entropy();
            case "margin" -> SparkStrategies.margin();
            case "least-confidence" -> SparkStrategies.leastConfidence();
            case "var-ratio" -> SparkStrategies.variationRatio();
            case "bald" -> SparkStrategies.bald();
            case "mean-std" -> SparkStrategies.meanStd();
            case "entropy-mc" -> SparkStrategies.entropyMc();
            case "margin-mc" -> SparkStrategies.marginMc();
            case "least-confidence-mc" -> SparkStrategies.leastConfidenceMc();
            case "var-ratio-mc" -> SparkStrategies.variationRatioMc();
            case "kcenter" -> SparkStrategies.kCenterGreedy().withMode(mode);
            case "badge" -> SparkStrategies.badge().withMode(mode).withSeed(seed);
            case "kmeans" -> SparkStrategies.kMeans().withSeed(seed);
            default -> throw new IllegalArgumentException("unknown strategy " + name);
        };
    }

    /**
     * The session: the running one if any (a test's, spark-submit's), else a new one on {@code master}; a local master
     * binds to the loopback address and runs no web UI.
     */
    static SparkSession session(String master) {
        SparkSession.Builder b = SparkSession.builder().appName("al4j spark-select");
        String effective = master;
        if (effective == null && !new org.apache.spark.SparkConf().contains("spark.master")) {
            effective = "local[*]";
        }
        if (effective != null) {
            b.master(effective);
            if (effective.startsWith("local")) {
                b.config("spark.driver.bindAddress", "127.0.0.1").config("spark.driver.host", "127.0.0.1")
                        .config("spark.ui.enabled", "false");
            }
        }
        SparkSession spark = b.getOrCreate();
        spark.sparkContext().setLogLevel("WARN");
        return spark;
    }

    private SparkPool parquetPool(SparkSession spark) {
        if (probsColumn == null && embeddingsColumn == null && mcProbsColumn == null) {
            throw new IllegalArgumentException("--parquet needs the column the strategy reads: --probs-column,"
                    + " --embeddings-column or --mc-probs-column");
        }
        Dataset<Row> data;
        try {
            data = spark.read().parquet(parquet);
        } catch (RuntimeException e) {
            throw new IllegalArgumentException("--parquet " + parquet + ": cannot read it: " + oneLine(
                    e.getMessage()), e);
        }
        SparkPool pool = SparkPool.of(data).withIdColumn(idColumn);
        pool = probsColumn == null ? pool : pool.withProbabilitiesColumn(probsColumn);
        pool = embeddingsColumn == null ? pool : pool.withEmbeddingsColumn(embeddingsColumn);
        return mcProbsColumn == null ? pool : pool.withMcProbabilitiesColumn(mcProbsColumn);
    }

    /** Rows {@code (id, probs, embeddings, mc)} from the .npy files; row {@code i} is id {@code i}. */
    private SparkPool npyPool(SparkSession spark) throws IOException {
        float[][] p = probs == null ? null : rows("--probs", probs, 2, -1);
        float[][] e = embeddings == null ? null : rows("--embeddings", embeddings, 2, -1);
        INDArray mcArray = mcProbs == null ? null : read("--mc-probs", mcProbs, 3);
        int n = p != null ? p.length : e != null ? e.length : (int) mcArray.size(1);
        if (e != null && e.length != n) {
            throw new IllegalArgumentException(String.format(Locale.ROOT, "--embeddings %s: expected %d rows (N from"
                    + " --probs), found %d", embeddings, n, e.length));
        }
        float[][][] mc = null;
        if (mcArray != null) {
            if (mcArray.size(1) != n) {
                throw new IllegalArgumentException(String.format(Locale.ROOT, "--mc-probs %s: expected shape [T, %d,"
                        + " K], found %s", mcProbs, n, Arrays.toString(mcArray.shape())));
            }
            int t = (int) mcArray.size(0);
            int k = (int) mcArray.size(2);
            float[] flat = mcArray.castTo(DataType.FLOAT).dup('c').data().asFloat();
            mc = new float[n][t][k];
            for (int pass = 0; pass < t; pass++) {
                for (int i = 0; i < n; i++) {
                    System.arraycopy(flat, (pass * n + i) * k, mc[i][pass], 0, k);
                }
            }
        }
        List<StructField> fields = new ArrayList<>();
        fields.add(DataTypes.createStructField("id", DataTypes.LongType, false));
        if (p != null) {
            fields.add(DataTypes.createStructField("probs", DataTypes.createArrayType(DataTypes.FloatType), false));
        }
        if (e != null) {
            fields.add(DataTypes.createStructField("embeddings", DataTypes.createArrayType(DataTypes.FloatType),
                    false));
        }
        if (mc != null) {
            fields.add(DataTypes.createStructField("mc", DataTypes.createArrayType(DataTypes.createArrayType(
                    DataTypes.FloatType)), false));
        }
        List<Row> rows = new ArrayList<>(n);
        for (int i = 0; i < n; i++) {
            List<Object> values = new ArrayList<>(4);
            values.add((long) i);
            if (p != null) {
                values.add(p[i]);
            }
            if (e != null) {
                values.add(e[i]);
            }
            if (mc != null) {
                values.add(mc[i]);
            }
            rows.add(RowFactory.create(values.toArray()));
        }
        Dataset<Row> data = spark.createDataFrame(rows, new StructType(fields.toArray(new StructField[0])));
        if (partitions != null) {
            if (partitions < 1) {
                throw new IllegalArgumentException("--partitions must be >= 1, found " + partitions);
            }
            data = data.repartition(partitions);
        }
        SparkPool pool = SparkPool.of(data);
        pool = p == null ? pool : pool.withProbabilitiesColumn("probs");
        pool = e == null ? pool : pool.withEmbeddingsColumn("embeddings");
        return mc == null ? pool : pool.withMcProbabilitiesColumn("mc");
    }

    private static float[][] rows(String option, Path file, int rank, int unused) throws IOException {
        INDArray a = read(option, file, rank);
        int n = (int) a.size(0);
        int w = (int) a.size(1);
        float[] flat = a.castTo(DataType.FLOAT).dup('c').data().asFloat();
        float[][] out = new float[n][w];
        for (int i = 0; i < n; i++) {
            System.arraycopy(flat, i * w, out[i], 0, w);
        }
        return out;
    }

    private static void checkFile(String option, Path file) {
        if (!Files.isRegularFile(file)) {
            throw new IllegalArgumentException(option + " " + file + ": cannot read the file: no such file");
        }
    }

    private static INDArray read(String option, Path file, int rank) throws IOException {
        checkFile(option, file);
        INDArray a;
        try {
            a = Npy.read(file);
        } catch (MalformedArrayFileException e) {
            throw new IllegalArgumentException(option + " " + file + ": " + oneLine(e.getMessage()), e);
        }
        if (a.dataType() != DataType.FLOAT && a.dataType() != DataType.DOUBLE) {
            throw new IllegalArgumentException(option + " " + file + ": expected float32 or float64 values, found "
                    + a.dataType());
        }
        if (a.rank() != rank) {
            throw new IllegalArgumentException(option + " " + file + ": expected rank " + rank + ", found shape "
                    + Arrays.toString(a.shape()));
        }
        return a;
    }

    private static int[] readInts(String option, Path file) throws IOException {
        checkFile(option, file);
        try {
            return Npy.readInts(file);
        } catch (MalformedArrayFileException e) {
            throw new IllegalArgumentException(option + " " + file + ": " + oneLine(e.getMessage()), e);
        }
    }

    static String oneLine(String message) {
        if (message == null) {
            return "";
        }
        int nl = message.indexOf('\n');
        return nl < 0 ? message : message.substring(0, nl);
    }
}
