package org.neurite.models.report;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** metrics.csv: the header, rows that read back, and the cut a resumed run makes. */
class MetricsCsvTest {
    @TempDir Path tmp;

    private static MetricsRow row(String kind, int epoch, long step) {
        return new MetricsRow(kind, epoch, step, 0.01, 0.5, 0.75, Double.NaN, Double.NaN, 0.25, 0.875, 1.5, 100, 0);
    }

    @Test void appendReadAndTruncate() throws Exception {
        MetricsCsv csv = new MetricsCsv(tmp);
        csv.append(row("step", 1, 5));
        csv.append(row("epoch", 1, 10));
        csv.append(row("step", 2, 15));
        csv.append(row("epoch", 2, 20));
        List<String> lines = Files.readAllLines(csv.file());
        assertEquals(MetricsCsv.HEADER, lines.get(0));
        assertEquals("epoch,1,10,0.01,0.5,0.75,,,0.25,0.875,1.500,100.0,0", lines.get(2));
        assertEquals(4, csv.read().size());

        // A kill in the middle of a line leaves a partial row; resuming from step 10 drops it and step 15.
        Files.writeString(csv.file(), "step,3,2", java.nio.file.StandardOpenOption.APPEND);
        assertEquals(3, csv.truncateAfter(10));
        List<MetricsRow> rows = csv.read();
        assertEquals(2, rows.size());
        assertEquals(10, rows.get(1).step());
        assertEquals(0, csv.truncateAfter(10));
    }
}
