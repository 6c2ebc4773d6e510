package dev.tltf.common.testing;

import java.io.FilterOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.net.URI;
import org.apache.hadoop.fs.Path;
import org.apache.hadoop.fs.RawLocalFileSystem;
import org.apache.hadoop.fs.permission.FsPermission;

/**
 * The local disk under the scheme {@code failing://}, whose writes fail after {@value #LIMIT}
 * bytes, as a full disk or a dropped connection would: for tests that a failed write leaves nothing
 * behind. Registered through {@code META-INF/services}, so any job reaches it by a location such as
 * {@code failing:///tmp/out/model.onnx}.
 */
public final class FailingFileSystem extends RawLocalFileSystem {
  public static final String SCHEME = "failing";
  public static final int LIMIT = 1024;
  private static final URI ROOT = URI.create(SCHEME + ":///");

  /** {@code path} (a local path) as a location on this file system. */
  public static String location(java.nio.file.Path path) {
    return SCHEME + "://" + path.toAbsolutePath();
  }

  @Override
  public String getScheme() {
    return SCHEME;
  }

  @Override
  public URI getUri() {
    return ROOT;
  }

  /** Every create and append of the local file system opens its stream here. */
  @Override
  protected OutputStream createOutputStreamWithMode(Path f, boolean append, FsPermission permission)
      throws IOException {
    return new FailingAfterLimit(super.createOutputStreamWithMode(f, append, permission));
  }

  private static final class FailingAfterLimit extends FilterOutputStream {
    private long written;

    FailingAfterLimit(OutputStream out) {
      super(out);
    }

    @Override
    public void write(int b) throws IOException {
      write(new byte[] {(byte) b}, 0, 1);
    }

    @Override
    public void write(byte[] b, int off, int len) throws IOException {
      if (written + len > LIMIT) {
        throw new IOException("No space left on device (injected after " + LIMIT + " bytes)");
      }
      written += len;
      out.write(b, off, len);
    }
  }
}
