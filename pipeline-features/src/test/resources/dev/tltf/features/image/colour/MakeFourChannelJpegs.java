import com.twelvemonkeys.imageio.color.ColorSpaces;
import java.awt.Transparency;
import java.awt.image.ComponentColorModel;
import java.awt.image.DataBuffer;
import java.awt.image.Raster;
import java.awt.image.WritableRaster;
import java.io.File;
import java.util.Random;
import javax.imageio.IIOImage;
import javax.imageio.ImageIO;
import javax.imageio.ImageTypeSpecifier;
import javax.imageio.ImageWriter;
import javax.imageio.metadata.IIOMetadata;
import javax.imageio.stream.ImageOutputStream;

/**
 * Writes the two four-component JPEGs Pillow cannot write, with the JDK's JPEG writer: ycck.jpg (Adobe APP14,
 * transform 2: YCCK, as Photoshop writes CMYK) and four-channel.jpg (no Adobe segment, component ids 1-4, which
 * libjpeg and so Pillow read as plain inverted CMYK). Run once from this folder, then make_images.py:
 *
 *   java -cp imageio-core-3.12.0.jar:common-lang-3.12.0.jar MakeFourChannelJpegs.java
 */
public class MakeFourChannelJpegs {
  public static void main(String[] args) throws Exception {
    WritableRaster raster = Raster.createInterleavedRaster(DataBuffer.TYPE_BYTE, 32, 16, 4, null);
    Random random = new Random(11);
    for (int y = 0; y < 16; y++) {
      for (int x = 0; x < 32; x++) {
        raster.setPixel(x, y, new int[] {x * 8, y * 16, (x + y) * 5, random.nextInt(256)});
      }
    }
    ComponentColorModel cmyk = new ComponentColorModel(ColorSpaces.getColorSpace(ColorSpaces.CS_GENERIC_CMYK),
        false, false, Transparency.OPAQUE, DataBuffer.TYPE_BYTE);
    ImageWriter writer = ImageIO.getImageWritersByFormatName("jpeg").next();
    IIOMetadata ycck = writer.getDefaultImageMetadata(
        new ImageTypeSpecifier(cmyk, cmyk.createCompatibleSampleModel(1, 1)), writer.getDefaultWriteParam());
    write(writer, new IIOImage(raster, null, ycck), "ycck.jpg");
    write(writer, new IIOImage(raster, null, null), "four-channel.jpg");
  }

  private static void write(ImageWriter writer, IIOImage image, String name) throws Exception {
    new File(name).delete();
    try (ImageOutputStream out = ImageIO.createImageOutputStream(new File(name))) {
      writer.setOutput(out);
      writer.write(null, image, writer.getDefaultWriteParam());
    }
  }
}
