#!/usr/bin/python3
"""Writes the colour-profile fixtures with Pillow (Debian's python3-pil, 9.4): the same 48 x 32 picture saved
once without any profile (plain.*) and once per profile in make_profiles.py, in each format:

  plain.jpg / PROFILE.jpg         baseline JPEG, 4:2:0, quality 90; the profile in APP2 ICC_PROFILE segments
  PROFILE-adobe.jpg               the same with an Adobe APP14 segment (transform 1, YCbCr) after APP0
  plain.png / PROFILE.png         RGB PNG; the profile in an iCCP chunk
  chunks.png                      plain.png plus gAMA (1.0), cHRM (red and blue swapped) and sRGB chunks
  plain.webp / PROFILE.webp       lossless WebP; the profile in an ICCP chunk (VP8X)
  plain-lossy.webp / PROFILE-lossy.webp   lossy WebP, quality 90
  plain.tif / PROFILE.tif         uncompressed RGB TIFF; the profile in tag 34675
  cmyk.jpg, cmyk.tif              a CMYK picture with every amount of black: JPEG (Adobe APP14, inverted, as
                                  libjpeg writes CMYK) and uncompressed TIFF
  NAME-pillow.png                 Pillow's Image.open(f).convert('RGB') of cmyk.jpg, cmyk.tif, and of
                                  ycck.jpg and four-channel.jpg (made by MakeFourChannelJpegs.java)
For every file with a profile, Pillow's Image.open(f).convert('RGB') is checked here to give exactly the plain
file's pixels: Pillow ignores the profile, as tf.io.decode_image does.

Run once, after make_profiles.py:  /usr/bin/python3 make_images.py"""
import random
import struct
import zlib
from io import BytesIO

from PIL import Image, PngImagePlugin

import make_profiles

WIDTH, HEIGHT = 48, 32
PROFILES = {name[:-len(".icc")]: data for name, data in make_profiles.PROFILES.items()}


def picture():
    rng = random.Random(7)
    image = Image.new("RGB", (WIDTH, HEIGHT))
    pixels = []
    for y in range(HEIGHT):
        for x in range(WIDTH):
            r = 255 * x // (WIDTH - 1)
            g = 255 * y // (HEIGHT - 1)
            b = (r + g) // 2 if (x // 8 + y // 8) % 2 else 255 - (r + g) // 2
            pixels.append(tuple(max(0, min(255, v + rng.randint(-12, 12))) for v in (r, g, b)))
    image.putdata(pixels)
    return image


def cmyk_picture():
    rng = random.Random(5)
    image = Image.new("CMYK", (WIDTH, HEIGHT))
    image.putdata([(255 * x // (WIDTH - 1), 255 * y // (HEIGHT - 1), rng.randint(0, 255), rng.randint(0, 255))
                   for y in range(HEIGHT) for x in range(WIDTH)])
    return image


def with_adobe_segment(jpeg):
    """Inserts APP14 'Adobe' (version 100, flags 0, transform 1 = YCbCr) right after SOI and APP0."""
    assert jpeg[:4] == b"\xff\xd8\xff\xe0"
    app0_end = 4 + struct.unpack(">H", jpeg[4:6])[0]
    body = b"Adobe" + struct.pack(">HHHB", 100, 0, 0, 1)
    return jpeg[:app0_end] + b"\xff\xee" + struct.pack(">H", len(body) + 2) + body + jpeg[app0_end:]


def png_chunk(kind, data):
    return struct.pack(">I", len(data)) + kind + data + struct.pack(">I", zlib.crc32(kind + data))


def with_colour_chunks(png):
    """gAMA 1.0, cHRM with red and blue swapped, sRGB perceptual: inserted before the first IDAT."""
    at = png.index(b"IDAT") - 4
    chrm = struct.pack(">8I", 31270, 32900, 15000, 6000, 30000, 60000, 64000, 33000)
    chunks = (png_chunk(b"gAMA", struct.pack(">I", 100000)) + png_chunk(b"cHRM", chrm)
              + png_chunk(b"sRGB", b"\0"))
    return png[:at] + chunks + png[at:]


def save(image, name, **options):
    buffer = BytesIO()
    image.save(buffer, **options)
    data = buffer.getvalue()
    if name is not None:
        with open(name, "wb") as out:
            out.write(data)
    return data


def pillow_rgb(data):
    return Image.open(BytesIO(data)).convert("RGB")


def main():
    image = picture()
    plain = {
        "jpg": save(image, "plain.jpg", format="JPEG", quality=90),
        "png": save(image, "plain.png", format="PNG"),
        "webp": save(image, "plain.webp", format="WEBP", lossless=True),
        "lossy.webp": save(image, "plain-lossy.webp", format="WEBP", quality=90),
        "tif": save(image, "plain.tif", format="TIFF"),
    }
    for profile, icc in PROFILES.items():
        files = {
            "jpg": save(image, profile + ".jpg", format="JPEG", quality=90, icc_profile=icc),
            "png": save(image, profile + ".png", format="PNG", icc_profile=icc),
            "webp": save(image, profile + ".webp", format="WEBP", lossless=True, icc_profile=icc),
            "lossy.webp": save(image, profile + "-lossy.webp", format="WEBP", quality=90, icc_profile=icc),
            "tif": save(image, profile + ".tif", format="TIFF", icc_profile=icc),
        }
        for kind, data in files.items():
            assert Image.open(BytesIO(data)).info.get("icc_profile") == icc, (profile, kind)
            assert pillow_rgb(data).tobytes() == pillow_rgb(plain[kind]).tobytes(), (profile, kind)
    adobe = with_adobe_segment(save(image, None, format="JPEG", quality=90, icc_profile=PROFILES["adobe-rgb-1998"]))
    with open("adobe-rgb-1998-adobe.jpg", "wb") as out:
        out.write(adobe)
    assert pillow_rgb(adobe).tobytes() == pillow_rgb(plain["jpg"]).tobytes()
    chunks = with_colour_chunks(plain["png"])
    with open("chunks.png", "wb") as out:
        out.write(chunks)
    assert pillow_rgb(chunks).tobytes() == image.tobytes()

    cmyk = cmyk_picture()
    for name, data in (("cmyk.jpg", save(cmyk, "cmyk.jpg", format="JPEG", quality=95)),
                       ("cmyk.tif", save(cmyk, "cmyk.tif", format="TIFF"))):
        assert Image.open(BytesIO(data)).mode == "CMYK"
        save(pillow_rgb(data), name.replace(".", "-") + "-pillow.png", format="PNG")
    for name in ("ycck.jpg", "four-channel.jpg"):
        with open(name, "rb") as jpeg:
            save(pillow_rgb(jpeg.read()), name.replace(".", "-") + "-pillow.png", format="PNG")


if __name__ == "__main__":
    main()
