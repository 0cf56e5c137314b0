package org.neurite.models.report;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import org.neurite.models.checkpoint.AtomicFiles;
import org.neurite.models.data.InputDataException;

/**
 * {@code RUN_DIR/metrics.csv}: one row per epoch and, with {@code --log-every N}, one per N steps,
 * appended (and flushed) as they happen, as Keras' CSVLogger does. Columns:
 * <pre>
 * kind,epoch,step,lr,train_loss,train_accuracy,val_loss,val_accuracy,test_loss,test_accuracy,seconds,samples_per_s,skipped
 * </pre>
 * A resumed run first cuts the rows written after its checkpoint (and a half-written last line
 * left by a kill), so the file reads as if the run had never stopped.
 */
public final class MetricsCsv {
    public static final String FILE = "metrics.csv";
    public static final String HEADER =
            "kind,epoch,step,lr,train_loss,train_accuracy,val_loss,val_accuracy,test_loss,test_accuracy,seconds,samples_per_s,skipped";
    private static final int COLUMNS = HEADER.split(",").length;

    private final Path file;

    /** The metrics file of {@code runDir}; created with its header on the first {@link #append}. */
    public MetricsCsv(Path runDir) {
        this.file = runDir.resolve(FILE);
    }

    public Path file() { return file; }

    /** Appends {@code row} and forces it out of the process (a kill right after loses nothing). */
    public void append(MetricsRow row) throws IOException {
        StringBuilder sb = new StringBuilder();
        if (!Files.exists(file) || Files.size(file) == 0) sb.append(HEADER).append('\n');
        sb.append(format(row)).append('\n');
        Files.writeString(file, sb, StandardCharsets.UTF_8, StandardOpenOption.CREATE, StandardOpenOption.APPEND);
    }

    /** All complete rows; a missing file has none. */
    public List<MetricsRow> read() throws InputDataException {
        List<MetricsRow> rows = new ArrayList<>();
        if (!Files.exists(file)) return rows;
        List<String> lines;
        try {
            lines = completeLines();
        } catch (IOException e) {
            throw InputDataException.in(file.toString(), "cannot read: " + e.getMessage());
        }
        for (int i = 1; i < lines.size(); i++) rows.add(parse(lines.get(i), i + 1));
        return rows;
    }

    /**
     * Keeps the header and the rows up to step {@code lastStep} (a resumed checkpoint's), dropping
     * later ones and any half-written last line; returns how many lines were dropped.
     */
    public int truncateAfter(long lastStep) throws IOException, InputDataException {
        if (!Files.exists(file)) return 0;
        List<String> lines = completeLines();
        int total = Files.readAllLines(file, StandardCharsets.UTF_8).size();
        StringBuilder kept = new StringBuilder();
        int keptLines = 0;
        for (int i = 0; i < lines.size(); i++) {
            if (i > 0 && parse(lines.get(i), i + 1).step() > lastStep) continue;
            kept.append(lines.get(i)).append('\n');
            keptLines++;
        }
        if (keptLines == total && lines.size() == total) return 0;
        AtomicFiles.writeString(file, kept.toString());
        return total - keptLines;
    }

    /** The lines that end with a newline (a kill may cut the last one short). */
    private List<String> completeLines() throws IOException {
        String text = Files.readString(file, StandardCharsets.UTF_8);
        int end = text.lastIndexOf('\n');
        if (end < 0) return List.of();
        return List.of(text.substring(0, end).split("\n", -1));
    }

    static String format(MetricsRow r) {
        return String.join(",", r.kind(), Integer.toString(r.epoch()), Long.toString(r.step()), num(r.lr()),
                num(r.trainLoss()), num(r.trainAccuracy()), num(r.valLoss()), num(r.valAccuracy()),
                num(r.testLoss()), num(r.testAccuracy()), String.format(Locale.ROOT, "%.3f", r.seconds()),
                String.format(Locale.ROOT, "%.1f", r.samplesPerSecond()), Long.toString(r.skipped()));
    }

    private static String num(double v) {
        return Double.isNaN(v) ? "" : Double.toString(v); // shortest text that reads back to the same double
    }

    private MetricsRow parse(String line, int lineNo) throws InputDataException {
        String[] f = line.split(",", -1);
        if (f.length != COLUMNS) throw InputDataException.in(file.toString(), "line " + lineNo + " has " + f.length + " fields, expected " + COLUMNS);
        try {
            return new MetricsRow(f[0], Integer.parseInt(f[1]), Long.parseLong(f[2]), d(f[3]), d(f[4]), d(f[5]), d(f[6]), d(f[7]),
                    d(f[8]), d(f[9]), d(f[10]), d(f[11]), Long.parseLong(f[12]));
        } catch (NumberFormatException e) {
            throw InputDataException.in(file.toString(), "line " + lineNo + ": not a number: " + e.getMessage());
        }
    }

    private static double d(String s) {
        return s.isEmpty() ? Double.NaN : Double.parseDouble(s);
    }
}
