package org.matrixauth.bench;

import java.awt.Color;
import java.awt.Font;
import java.awt.Graphics2D;
import java.awt.RenderingHints;
import java.awt.geom.Rectangle2D;
import java.awt.image.BufferedImage;
import java.nio.file.Files;
import java.text.DecimalFormat;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Predicate;
import javax.imageio.ImageIO;
import org.jfree.chart.ChartFactory;
import org.jfree.chart.JFreeChart;
import org.jfree.chart.axis.LogAxis;
import org.jfree.chart.plot.PlotOrientation;
import org.jfree.chart.plot.XYPlot;
import org.jfree.chart.renderer.xy.XYLineAndShapeRenderer;
import org.jfree.data.xy.XYSeries;
import org.jfree.data.xy.XYSeriesCollection;

/**
 * The scale benchmark's figure: reads the CSV {@code bench/scale.sh} writes and draws one PNG of
 * six charts. Against active tokens (log scale), one line per (mode, size, nodes) of the main and
 * beside-synapse rows: added server CPU µs per request (filter minus bare), p99 latency, token
 * cache hit rate, SQL statements per request (request threads), heap after a full GC. The sixth:
 * the cache-bound sweep (ACTIVE fixed, auth_cache.max_tokens varied): hit rate and statements
 * per request against max_tokens.
 *
 * <pre>java -Djava.awt.headless=true -cp ... org.matrixauth.bench.ScalePlot bench/results/scale-T.csv bench/results/scale-T.png</pre>
 */
public final class ScalePlot {
    private static final int W = 640;
    private static final int H = 420;

    private ScalePlot() {}

    public static void main(String[] args) throws Exception {
        System.setProperty("java.awt.headless", "true");
        List<Map<String, String>> rows = read(Path.of(args[0]));
        Path png = Path.of(args[1]);
        Predicate<Map<String, String>> curve = r -> !"cache-bound".equals(r.get("series"));
        List<JFreeChart> charts = List.of(
                byActive("Added server CPU per request (filter − bare)", "µs/request", rows, curve, "added_cpu_us_per_req"),
                byActive("p99 latency, filter", "ms", rows, curve, "p99_ms"),
                byActive("Token cache hit rate", "hits / lookups", rows, curve, "hit_rate"),
                byActive("SQL statements per request (request threads)", "statements/request", rows, curve,
                        "request_statements_per_req"),
                byActive("Heap used after a full GC (per node)", "MiB", rows, curve, "heap_after_gc_mib"),
                cacheBound(rows));
        BufferedImage image = new BufferedImage(W * 3, H * 2, BufferedImage.TYPE_INT_RGB);
        Graphics2D g = image.createGraphics();
        g.setRenderingHint(RenderingHints.KEY_ANTIALIASING, RenderingHints.VALUE_ANTIALIAS_ON);
        g.setColor(Color.WHITE);
        g.fillRect(0, 0, image.getWidth(), image.getHeight());
        for (int i = 0; i < charts.size(); i++) {
            charts.get(i).draw(g, new Rectangle2D.Double((i % 3) * W, (i / 3) * H, W, H));
        }
        g.dispose();
        ImageIO.write(image, "png", png.toFile());
        System.out.println("wrote " + png);
    }

    /** One line per (mode, size, nodes): the column against active tokens. */
    private static JFreeChart byActive(String title, String unit, List<Map<String, String>> rows,
                                       Predicate<Map<String, String>> which, String column) {
        Map<String, XYSeries> lines = new LinkedHashMap<>();
        for (Map<String, String> row : rows) {
            Double y = number(row.get(column));
            Double x = number(row.get("active"));
            if (!which.test(row) || x == null || y == null) {
                continue;
            }
            String name = row.get("mode") + " " + row.get("size") + ", " + row.get("nodes") + (row.get("nodes").equals("1") ? " node" : " nodes");
            lines.computeIfAbsent(name, n -> new XYSeries(n, true, true)).addOrUpdate(x, y);
        }
        return chart(title, "active tokens", unit, lines, true);
    }

    /** The cache-bound sweep: hit rate and statements/request against auth_cache.max_tokens. */
    private static JFreeChart cacheBound(List<Map<String, String>> rows) {
        Map<String, XYSeries> lines = new LinkedHashMap<>();
        String active = "";
        for (Map<String, String> row : rows) {
            if (!"cache-bound".equals(row.get("series"))) {
                continue;
            }
            active = row.get("active") + " active, " + row.get("size");
            Double x = number(row.get("max_tokens"));
            for (String column : new String[] {"hit_rate", "request_statements_per_req"}) {
                Double y = number(row.get(column));
                if (x != null && y != null) {
                    lines.computeIfAbsent(column, n -> new XYSeries(n, true, true)).addOrUpdate(x, y);
                }
            }
        }
        return chart("At the cache bound (" + active + ", 1 node)", "auth_cache.max_tokens", "ratio", lines, true);
    }

    private static JFreeChart chart(String title, String x, String y, Map<String, XYSeries> lines, boolean logX) {
        XYSeriesCollection data = new XYSeriesCollection();
        lines.values().forEach(data::addSeries);
        JFreeChart chart = ChartFactory.createXYLineChart(title, x, y, data, PlotOrientation.VERTICAL, true, false, false);
        chart.getTitle().setFont(new Font(Font.SANS_SERIF, Font.BOLD, 14));
        XYPlot plot = chart.getXYPlot();
        plot.setBackgroundPaint(Color.WHITE);
        plot.setDomainGridlinePaint(Color.LIGHT_GRAY);
        plot.setRangeGridlinePaint(Color.LIGHT_GRAY);
        if (logX && data.getSeriesCount() > 0) {
            LogAxis axis = new LogAxis(x);
            axis.setBase(10);
            axis.setSmallestValue(1);
            axis.setNumberFormatOverride(new DecimalFormat("#,##0"));
            plot.setDomainAxis(axis);
        }
        XYLineAndShapeRenderer renderer = new XYLineAndShapeRenderer(true, true);
        plot.setRenderer(renderer);
        return chart;
    }

    private static Double number(String value) {
        if (value == null || value.isBlank()) {
            return null;
        }
        try {
            double v = Double.parseDouble(value);
            return Double.isFinite(v) ? v : null;
        } catch (NumberFormatException e) {
            return null;
        }
    }

    /** A CSV without quoted fields (scale.sh writes none): the header names the columns. */
    static List<Map<String, String>> read(Path csv) throws Exception {
        List<String> lines = Files.readAllLines(csv);
        String[] header = lines.get(0).split(",", -1);
        List<Map<String, String>> rows = new ArrayList<>();
        for (String line : lines.subList(1, lines.size())) {
            if (line.isBlank()) {
                continue;
            }
            String[] cells = line.split(",", -1);
            Map<String, String> row = new HashMap<>();
            for (int i = 0; i < header.length && i < cells.length; i++) {
                row.put(header[i], cells[i]);
            }
            rows.add(row);
        }
        return rows;
    }
}
