package io.replicator.benchmarks.report;

import org.knowm.xchart.AnnotationLine;
import org.knowm.xchart.BitmapEncoder;
import org.knowm.xchart.CategoryChart;
import org.knowm.xchart.CategoryChartBuilder;
import org.knowm.xchart.CategorySeries;
import org.knowm.xchart.style.Styler;

import java.awt.BasicStroke;
import java.awt.Color;
import java.awt.Font;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Collectors;

/**
 * Draws a {@link ChartSpec} as a PNG with XChart, headless (no display needed: {@code java.awt.headless} is set
 * before AWT loads). The same spec gives the same bytes on the same machine, so regenerating unchanged results leaves
 * the committed PNGs unchanged.
 */
public final class ChartWriter {
    public static final int WIDTH = 900;
    public static final int HEIGHT = 480;
    private static final Color[] BARS = {new Color(0x2f6db5), new Color(0xa0a0a0), new Color(0x7fb069),
        new Color(0xe0a030)};
    private static final Color LINE = new Color(0xc0392b);

    static {
        if (System.getProperty("java.awt.headless") == null) {
            System.setProperty("java.awt.headless", "true");
        }
    }

    private ChartWriter() {
    }

    /** Writes {@code spec} to {@code dir/spec.file()} and returns that path. */
    public static Path write(ChartSpec spec, Path dir) throws IOException {
        Files.createDirectories(dir);
        Path file = dir.resolve(spec.file());
        Files.write(file, png(spec));
        return file;
    }

    public static byte[] png(ChartSpec spec) throws IOException {
        return BitmapEncoder.getBitmapBytes(chart(spec), BitmapEncoder.BitmapFormat.PNG);
    }

    static CategoryChart chart(ChartSpec spec) {
        CategoryChart chart = new CategoryChartBuilder().width(WIDTH).height(HEIGHT).title(spec.title())
            .yAxisTitle(spec.yAxis()).build();
        var styler = chart.getStyler();
        styler.setChartBackgroundColor(Color.WHITE);
        styler.setPlotBackgroundColor(Color.WHITE);
        styler.setPlotGridLinesColor(new Color(0xdddddd));
        styler.setLegendPosition(Styler.LegendPosition.OutsideS);
        styler.setLegendVisible(spec.series().size() > 1);
        styler.setLegendLayout(Styler.LegendLayout.Horizontal);
        styler.setLegendBorderColor(Color.WHITE);
        styler.setChartTitleBoxVisible(false);
        styler.setChartTitleFont(new Font(Font.SANS_SERIF, Font.BOLD, 15));
        styler.setAxisTickLabelsFont(new Font(Font.SANS_SERIF, Font.PLAIN, 12));
        styler.setLegendFont(new Font(Font.SANS_SERIF, Font.PLAIN, 12));
        styler.setLabelsVisible(true);
        styler.setLabelsFont(new Font(Font.SANS_SERIF, Font.PLAIN, 11));
        styler.setLabelsFontColorAutomaticEnabled(false);
        styler.setLabelsFontColor(Color.BLACK);
        styler.setLabelsPosition(1.0);
        styler.setYAxisDecimalPattern(spec.valuePattern());
        styler.setAxisTitleFont(new Font(Font.SANS_SERIF, Font.PLAIN, 12));
        styler.setAnnotationLineColor(LINE);
        styler.setAnnotationLineStroke(new BasicStroke(2f, BasicStroke.CAP_BUTT, BasicStroke.JOIN_MITER, 10f,
            new float[] {8f, 5f}, 0f));
        styler.setYAxisLogarithmic(spec.logarithmic());
        styler.setAvailableSpaceFill(0.7);
        styler.setOverlapped(false);
        double top = 0;
        double bottom = Double.MAX_VALUE;
        for (ChartSpec.Series s : spec.series()) {
            for (double v : s.values()) {
                top = Math.max(top, v);
                bottom = Math.min(bottom, v);
            }
        }
        for (ChartSpec.Line l : spec.lines()) {
            top = Math.max(top, l.y());
            bottom = Math.min(bottom, l.y());
        }
        if (spec.logarithmic()) {
            styler.setYAxisMin(Math.pow(10, Math.floor(Math.log10(bottom)) - 1));
            styler.setYAxisMax(Math.pow(10, Math.ceil(Math.log10(top * 1.5))));
        } else {
            styler.setYAxisMin(0.0);
            styler.setYAxisMax(top * 1.15);
        }
        int i = 0;
        for (ChartSpec.Series s : spec.series()) {
            CategorySeries series = chart.addSeries(s.name(), spec.categories(), s.values());
            series.setFillColor(BARS[i % BARS.length]);
            i++;
        }
        // Targets as annotations: they span the whole plot (a line series would take a bar's slot in every
        // category). Annotations have no legend entry, so the x axis' title names them.
        for (ChartSpec.Line l : spec.lines()) {
            chart.addAnnotation(new AnnotationLine(l.y(), false, false));
        }
        if (!spec.lines().isEmpty()) {
            chart.setXAxisTitle((spec.lines().size() == 1 ? "dashed line: " : "dashed lines: ")
                + spec.lines().stream().map(ChartSpec.Line::name).collect(Collectors.joining("; ")));
        }
        return chart;
    }
}
