package dev.tltf.features.image;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

/**
 * What the decoder needs from a JPEG's marker segments before the first scan: the number of colour
 * components (SOF), the Adobe APP14 colour transform and where any embedded ICC profile (APP2
 * {@code ICC_PROFILE} chunks) lies. Parsing stops at the first scan or at anything it does not
 * understand; the decoder proper then reports what is wrong with the file.
 */
record JpegHeader(int components, int adobeTransform, List<int[]> iccSegments) {
  /** {@link #adobeTransform} when the file has no Adobe APP14 segment. */
  static final int NO_ADOBE_SEGMENT = -1;

  private static final byte[] ICC_IDENTIFIER = "ICC_PROFILE\0".getBytes(StandardCharsets.US_ASCII);
  private static final byte[] ADOBE_IDENTIFIER = "Adobe".getBytes(StandardCharsets.US_ASCII);

  /** The header of {@code bytes}, or null if they do not start like a JPEG (SOI then a marker). */
  static JpegHeader parse(byte[] bytes) {
    if (bytes.length < 4
        || (bytes[0] & 0xFF) != 0xFF
        || (bytes[1] & 0xFF) != 0xD8
        || (bytes[2] & 0xFF) != 0xFF) {
      return null;
    }
    int components = 0;
    int adobeTransform = NO_ADOBE_SEGMENT;
    List<int[]> icc = new ArrayList<>();
    int at = 2;
    while (at + 4 <= bytes.length && (bytes[at] & 0xFF) == 0xFF) {
      int marker = bytes[at + 1] & 0xFF;
      if (marker == 0xFF) {
        at++; // fill byte before a marker
        continue;
      }
      if (marker == 0x01 || (marker >= 0xD0 && marker <= 0xD8)) {
        at += 2; // markers without a length
        continue;
      }
      if (marker == 0xDA || marker == 0xD9) {
        break; // start of scan or end of image: no more header segments
      }
      int length = ((bytes[at + 2] & 0xFF) << 8) | (bytes[at + 3] & 0xFF);
      int end = at + 2 + length;
      if (length < 2 || end > bytes.length) {
        break;
      }
      int body = at + 4;
      if (marker == 0xE2 && startsWith(bytes, body, end, ICC_IDENTIFIER)) {
        icc.add(new int[] {at, end});
      } else if (marker == 0xEE
          && end - body >= 12
          && startsWith(bytes, body, end, ADOBE_IDENTIFIER)) {
        adobeTransform =
            bytes[body + 11]
                & 0xFF; // "Adobe", version, flags0, flags1, transform; the last one counts
      } else if (isStartOfFrame(marker) && end - body >= 6) {
        components = bytes[body + 5] & 0xFF; // precision, height, width, components
      }
      at = end;
    }
    return new JpegHeader(components, adobeTransform, List.copyOf(icc));
  }

  /**
   * Whether the four components are YCCK rather than CMYK: libjpeg (so Pillow and TensorFlow) takes
   * YCCK exactly when an Adobe segment is present with a transform other than 0.
   */
  boolean isYcck() {
    return components == 4 && adobeTransform != NO_ADOBE_SEGMENT && adobeTransform != 0;
  }

  /** {@code bytes} without the ICC profile segments (the same array when there are none). */
  byte[] withoutIccProfile(byte[] bytes) {
    if (iccSegments.isEmpty()) {
      return bytes;
    }
    ByteArrayOutputStream out = new ByteArrayOutputStream(bytes.length);
    int from = 0;
    for (int[] segment : iccSegments) {
      out.write(bytes, from, segment[0] - from);
      from = segment[1];
    }
    out.write(bytes, from, bytes.length - from);
    return out.toByteArray();
  }

  private static boolean isStartOfFrame(int marker) {
    return marker >= 0xC0 && marker <= 0xCF && marker != 0xC4 && marker != 0xC8 && marker != 0xCC;
  }

  private static boolean startsWith(byte[] bytes, int from, int end, byte[] prefix) {
    if (end - from < prefix.length) {
      return false;
    }
    for (int i = 0; i < prefix.length; i++) {
      if (bytes[from + i] != prefix[i]) {
        return false;
      }
    }
    return true;
  }
}
