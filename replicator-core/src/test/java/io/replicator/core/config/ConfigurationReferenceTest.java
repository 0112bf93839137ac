package io.replicator.core.config;

import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * docs/configuration.md's option table is the operator's reference: it must list every option of {@link Keywords}
 * (and nothing else) with the model's default and support status, so that the page cannot drift from the parser.
 */
class ConfigurationReferenceTest {
    private static final Path REFERENCE = Path.of("..", "docs", "configuration.md");
    private static final Pattern ROW = Pattern.compile("^\\| `([a-z0-9-]+)`( \\(extension\\))? \\|(.*)\\|\\s*$");

    private record Row(String key, boolean extension, String defaultValue, String status) {
    }

    private static Map<String, Row> rows() throws IOException {
        Map<String, Row> rows = new LinkedHashMap<>();
        for (String line : Files.readAllLines(REFERENCE)) {
            Matcher row = ROW.matcher(line);
            if (!row.matches()) {
                continue;
            }
            // Values may contain escaped pipes (`a \| b`); split on the unescaped ones.
            String[] cells = row.group(3).split("(?<!\\\\)\\|");
            String status = cells[cells.length - 1].trim();
            String defaultValue = cells[cells.length - 2].trim();
            rows.put(row.group(1), new Row(row.group(1), row.group(2) != null, defaultValue, status));
        }
        return rows;
    }

    @Test
    void everyOptionIsDocumentedWithItsDefaultAndSupportStatus() throws IOException {
        Map<String, Row> rows = rows();
        List<String> problems = new ArrayList<>();
        for (Option option : Keywords.all()) {
            Row row = rows.get(option.key());
            if (row == null) {
                problems.add(option.key() + ": no row in the option table");
                continue;
            }
            boolean documentedUnsupported = row.status().contains("not supported yet");
            if (documentedUnsupported != (option.support() == Support.NOT_SUPPORTED_YET)) {
                problems.add(option.key() + ": status '" + row.status() + "' but the model says " + option.support());
            }
            String expectedDefault = option.defaultValue().isEmpty() ? "—" : option.defaultValue();
            if (!row.defaultValue().equals(expectedDefault)) {
                problems.add(option.key() + ": default '" + row.defaultValue() + "' but the model says '"
                    + expectedDefault + "'");
            }
            if (row.extension() != option.extension()) {
                problems.add(option.key() + ": '(extension)' marker does not match the model");
            }
        }
        assertThat(problems).as("docs/configuration.md vs Keywords").isEmpty();
    }

    @Test
    void theTableListsNoOptionTheParserDoesNotKnow() throws IOException {
        assertThat(rows().keySet()).allSatisfy(key -> assertThat(Keywords.option(key)).as(key).isPresent());
    }
}
