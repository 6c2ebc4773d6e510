package dev.tltf.features.extract;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;

/**
 * The SQL snippets of the README's "Outputs" section, run exactly as printed (only the example
 * store location {@value #EXAMPLE_STORE} is replaced): DuckDB through its JDBC driver, Spark SQL
 * through the test session.
 */
final class ReadmeQueries {
  static final String EXAMPLE_STORE = "/data/features";
  private static final Pattern SQL_BLOCK =
      Pattern.compile("```sql\\n-- ([^\\n]+)\\n(.*?)```", Pattern.DOTALL);
  private final Map<String, String> byTitle = new TreeMap<>();

  ReadmeQueries() throws IOException {
    Path readme = Path.of(System.getProperty("user.dir")).getParent().resolve("README.md");
    Matcher m = SQL_BLOCK.matcher(Files.readString(readme, StandardCharsets.UTF_8));
    while (m.find()) {
      byTitle.put(m.group(1).strip(), m.group(2).strip());
    }
  }

  /**
   * The query under the comment line {@code -- title}, with {@code store} in place of the example
   * location.
   */
  String sql(String title, String store) {
    String sql = byTitle.get(title);
    if (sql == null) {
      throw new IllegalStateException(
          "README.md has no ```sql block titled '-- " + title + "'; it has " + byTitle.keySet());
    }
    String query = sql.replace(EXAMPLE_STORE, store);
    return query.endsWith(";") ? query.substring(0, query.length() - 1) : query;
  }

  /** The rows of a DuckDB query, each as the listed columns' values joined by '|'. */
  List<String> duckdb(String title, String store, String... columns) throws SQLException {
    List<String> rows = new ArrayList<>();
    try (Connection connection = DriverManager.getConnection("jdbc:duckdb:");
        ResultSet result = connection.createStatement().executeQuery(sql(title, store))) {
      while (result.next()) {
        StringBuilder row = new StringBuilder();
        for (String column : columns) {
          row.append(row.length() == 0 ? "" : "|").append(result.getString(column));
        }
        rows.add(row.toString());
      }
    }
    rows.sort(null);
    return rows;
  }

  /** The rows of a Spark SQL query, as {@link #duckdb}. */
  List<String> sparkSql(SparkSession spark, String title, String store, String... columns) {
    List<String> rows = new ArrayList<>();
    for (Row r : spark.sql(sql(title, store)).collectAsList()) {
      StringBuilder row = new StringBuilder();
      for (String column : columns) {
        row.append(row.length() == 0 ? "" : "|").append(r.get(r.fieldIndex(column)));
      }
      rows.add(row.toString());
    }
    rows.sort(null);
    return rows;
  }
}
