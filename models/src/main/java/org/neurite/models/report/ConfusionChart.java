package org.neurite.models.report;

import java.awt.Color;
import java.io.IOException;
import java.nio.file.Path;
import org.knowm.xchart.HeatMapChart;
import org.knowm.xchart.HeatMapChartBuilder;
import org.knowm.xchart.style.HeatMapStyler;

/** The confusion matrix as a heat map: true class down, predicted class across, counts in the cells. */
public final class ConfusionChart {
    private ConfusionChart() { }

    /** Writes {@code e}'s confusion matrix to {@code file} (PNG) under {@code title}. */
    public static void write(Path file, Evaluation e, String title) throws IOException {
        Png.init();
        int n = e.classes();
        long[][] m = e.confusion();
        int size = Math.max(500, 60 * n + 160);
        HeatMapChart chart = new HeatMapChartBuilder().width(size + 80).height(size).title(title)
                .xAxisTitle("predicted class").yAxisTitle("true class").build();
        HeatMapStyler s = chart.getStyler();
        s.setChartBackgroundColor(Color.WHITE);
        s.setPlotContentSize(1);
        s.setShowValue(true);
        s.setLegendVisible(true);
        s.setMin(0);
        s.setRangeColors(new Color[] {new Color(247, 251, 255), new Color(158, 202, 225), new Color(66, 146, 198)});
        s.setHeatMapValueDecimalPattern("#0");
        s.setValueFontColor(Color.BLACK);
        int[] labels = new int[n];
        for (int k = 0; k < n; k++) labels[k] = k;
        // Rows are drawn bottom-up; reversing the y labels puts class 0 at the top, as matrices are read.
        int[] yLabels = new int[n];
        for (int k = 0; k < n; k++) yLabels[k] = n - 1 - k;
        java.util.List<Number[]> cells = new java.util.ArrayList<>();
        for (int t = 0; t < n; t++) {
            for (int p = 0; p < n; p++) cells.add(new Number[] {p, n - 1 - t, m[t][p]});
        }
        chart.addSeries("count", toList(labels), toList(yLabels), cells);
        Png.write(file, chart);
    }

    private static java.util.List<Integer> toList(int[] a) {
        java.util.List<Integer> l = new java.util.ArrayList<>();
        for (int v : a) l.add(v);
        return l;
    }
}
