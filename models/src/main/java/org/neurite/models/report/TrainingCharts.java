package org.neurite.models.report;

import java.awt.BasicStroke;
import java.awt.Color;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.function.ToDoubleFunction;
import org.knowm.xchart.XYChart;
import org.knowm.xchart.XYChartBuilder;
import org.knowm.xchart.XYSeries;
import org.knowm.xchart.style.Styler;
import org.knowm.xchart.style.markers.SeriesMarkers;

/**
 * The curves of a run, redrawn from metrics.csv after every epoch: {@code loss.png} and
 * {@code accuracy.png}, each with the training, validation (when held out) and test series
 * against the epoch.
 */
public final class TrainingCharts {
    public static final String LOSS = "loss.png";
    public static final String ACCURACY = "accuracy.png";
    private static final Color TRAIN = new Color(31, 119, 180);
    private static final Color VAL = new Color(255, 127, 14);
    private static final Color TEST = new Color(44, 160, 44);

    private TrainingCharts() { }

    /** Writes both charts into {@code runDir} from the epoch rows of {@code rows}; no epoch rows, no charts. */
    public static void write(Path runDir, List<MetricsRow> rows) throws IOException {
        List<MetricsRow> epochs = rows.stream().filter(MetricsRow::isEpoch).toList();
        if (epochs.isEmpty()) return;
        Png.init();
        Png.write(runDir.resolve(LOSS), chart("Loss per epoch (" + runDir.getFileName() + ")", "loss (cross-entropy)", epochs,
                MetricsRow::trainLoss, MetricsRow::valLoss, MetricsRow::testLoss, false));
        Png.write(runDir.resolve(ACCURACY), chart("Accuracy per epoch (" + runDir.getFileName() + ")", "accuracy", epochs,
                MetricsRow::trainAccuracy, MetricsRow::valAccuracy, MetricsRow::testAccuracy, true));
    }

    static XYChart chart(String title, String yTitle, List<MetricsRow> rows, ToDoubleFunction<MetricsRow> train,
                         ToDoubleFunction<MetricsRow> val, ToDoubleFunction<MetricsRow> test, boolean accuracy) {
        XYChart c = new XYChartBuilder().width(800).height(500).title(title).xAxisTitle("epoch").yAxisTitle(yTitle).build();
        org.knowm.xchart.style.XYStyler s = c.getStyler();
        s.setLegendPosition(accuracy ? Styler.LegendPosition.InsideSE : Styler.LegendPosition.InsideNE);
        s.setChartBackgroundColor(Color.WHITE);
        s.setPlotBackgroundColor(Color.WHITE);
        s.setPlotGridLinesColor(new Color(225, 225, 225));
        s.setXAxisDecimalPattern("0");
        s.setYAxisDecimalPattern(accuracy ? "0.00" : "0.000");
        s.setMarkerSize(7);
        add(c, "train", rows, train, TRAIN);
        add(c, "validation", rows, val, VAL);
        add(c, "test", rows, test, TEST);
        return c;
    }

    private static void add(XYChart c, String name, List<MetricsRow> rows, ToDoubleFunction<MetricsRow> f, Color color) {
        List<Double> x = new ArrayList<>();
        List<Double> y = new ArrayList<>();
        for (MetricsRow r : rows) {
            double v = f.applyAsDouble(r);
            if (Double.isFinite(v)) {
                x.add((double) r.epoch());
                y.add(v);
            }
        }
        if (x.isEmpty()) return;
        XYSeries s = c.addSeries(name, x, y);
        s.setLineColor(color);
        s.setMarkerColor(color);
        s.setMarker(SeriesMarkers.CIRCLE);
        s.setLineStyle(new BasicStroke(2f));
    }
}
