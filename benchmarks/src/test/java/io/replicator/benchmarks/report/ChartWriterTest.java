package io.replicator.benchmarks.report;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import javax.imageio.ImageIO;
import java.awt.GraphicsEnvironment;
import java.awt.image.BufferedImage;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class ChartWriterTest {
    private static final ChartSpec SPEC = new ChartSpec("ratios.png", "ours / baseline", "ratio",
        List.of("1 MiB write", "4 KiB read"),
        List.of(new ChartSpec.Series("front end", List.of(0.6, 0.96)), new ChartSpec.Series("daemon", List.of(0.49,
            0.89))), List.of(new ChartSpec.Line("target ≥ 0.9", 0.9)), false, "0.00");

    @Test
    void shouldDrawAPngWithoutADisplay(@TempDir Path dir) throws IOException {
        Path file = ChartWriter.write(SPEC, dir);

        assertThat(GraphicsEnvironment.isHeadless()).isTrue();
        assertThat(file).isEqualTo(dir.resolve("ratios.png"));
        byte[] bytes = Files.readAllBytes(file);
        assertThat(bytes).startsWith(0x89, 'P', 'N', 'G');
        BufferedImage image = ImageIO.read(file.toFile());
        assertThat(image.getWidth()).isEqualTo(ChartWriter.WIDTH);
        assertThat(image.getHeight()).isEqualTo(ChartWriter.HEIGHT);
    }

    @Test
    void shouldDrawTheSameBytesTwice() throws IOException {
        assertThat(ChartWriter.png(SPEC)).isEqualTo(ChartWriter.png(SPEC));
    }

    @Test
    void shouldDrawALogarithmicAxis() throws IOException {
        ChartSpec log = new ChartSpec("log.png", "resync vs rsync", "seconds", List.of("resync", "rsync"),
            List.of(new ChartSpec.Series("median", List.of(1.56, 35.14))), List.of(new ChartSpec.Line("rsync / 20",
            35.14 / 20)), true, "#,##0.##");

        assertThat(ImageIO.read(new java.io.ByteArrayInputStream(ChartWriter.png(log)))).isNotNull();
    }

    @Test
    void shouldRejectInconsistentSpecs() {
        assertThatThrownBy(() -> new ChartSpec("x.png", "t", "y", List.of("a", "b"),
            List.of(new ChartSpec.Series("s", List.of(1.0))), List.of(), false, "0"))
            .hasMessageContaining("1 values for 2 categories");
        assertThatThrownBy(() -> new ChartSpec("x.png", "t", "y", List.of("a"),
            List.of(new ChartSpec.Series("s", List.of(0.0))), List.of(), true, "0"))
            .hasMessageContaining("logarithmic");
        assertThatThrownBy(() -> new ChartSpec("x.svg", "t", "y", List.of("a"),
            List.of(new ChartSpec.Series("s", List.of(1.0))), List.of(), false, "0"))
            .hasMessageContaining(".png");
    }
}
