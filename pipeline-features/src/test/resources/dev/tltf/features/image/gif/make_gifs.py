#!/usr/bin/python3
"""Writes small animated GIFs whose first frame Pillow treats in its own way, and NAME-pillow.png: what Pillow 9.4's
Image.open(f).convert('RGB') gives for each (the first frame). Run once: /usr/bin/python3 make_gifs.py

  offset-transparent.gif  24 x 16 screen, background index 3; frame 0 is 12 x 8 at (5, 3) with transparency
                          index 5 (some of its pixels use it) and disposal 2; frame 1 covers the screen
  offset-opaque.gif       the same without transparency, and frame 0 with a local colour table of its own
  beyond-screen.gif       frame 0 reaches 4 pixels past the 16 x 12 screen to the right and below
  pillow-written.gif      three frames saved by Pillow (disposal 2, transparency): the first covers the screen

Pillow lays frame 0 on a canvas of the screen's size (grown to hold the frame) filled with the transparency index
when the frame has one, else with index 0, and looks every index up in frame 0's palette (the local one if any).
The GIF background index is not used for frame 0."""
import struct

from PIL import Image

GLOBAL = [(200, 30, 40), (10, 20, 30), (250, 250, 250), (0, 90, 180), (60, 160, 70), (255, 128, 0), (90, 0, 120),
          (128, 128, 128), (15, 200, 200), (220, 180, 0), (40, 40, 90), (170, 60, 150), (5, 5, 5), (100, 200, 100),
          (210, 210, 120), (80, 50, 20)]
LOCAL = [(c[2], c[0], c[1]) for c in GLOBAL]
MIN_CODE_SIZE = 4  # 16 colours


def lzw(indices):
    """Uncompressed LZW: literal codes only, with a clear code before the code width would grow."""
    clear, end = 1 << MIN_CODE_SIZE, (1 << MIN_CODE_SIZE) + 1
    width = MIN_CODE_SIZE + 1
    codes = []
    for start in range(0, len(indices), clear - 4):
        codes.append(clear)
        codes.extend(indices[start:start + clear - 4])
    codes.append(end)
    bits, count, out = 0, 0, bytearray()
    for code in codes:
        bits |= code << count
        count += width
        while count >= 8:
            out.append(bits & 0xFF)
            bits >>= 8
            count -= 8
    if count:
        out.append(bits & 0xFF)
    blocks = bytearray([MIN_CODE_SIZE])
    for i in range(0, len(out), 255):
        chunk = out[i:i + 255]
        blocks += bytes([len(chunk)]) + chunk
    return bytes(blocks + b"\0")


def palette_bytes(colours):
    return b"".join(bytes(c) for c in colours)


def frame(x, y, width, height, indices, transparency=None, disposal=0, local=None):
    packed = (disposal << 2) | (1 if transparency is not None else 0)
    control = b"\x21\xf9\x04" + struct.pack("<BHB", packed, 10, transparency or 0) + b"\0"
    flags = (0x80 | (MIN_CODE_SIZE - 1)) if local else 0
    descriptor = b"\x2c" + struct.pack("<HHHHB", x, y, width, height, flags)
    return control + descriptor + (palette_bytes(local) if local else b"") + lzw(indices)


def gif(width, height, background, frames):
    header = b"GIF89a" + struct.pack("<HHBBB", width, height, 0x80 | 0x70 | (MIN_CODE_SIZE - 1), background, 0)
    return header + palette_bytes(GLOBAL) + b"".join(frames) + b"\x3b"


def pattern(width, height, transparent=None):
    indices = [(x * 3 + y * 5) % 16 for y in range(height) for x in range(width)]
    if transparent is not None:
        indices = [transparent if (i % 7 == 0) else v for i, v in enumerate(indices)]
    return indices


def main():
    files = {
        "offset-transparent.gif": gif(24, 16, 3, [
            frame(5, 3, 12, 8, pattern(12, 8, transparent=5), transparency=5, disposal=2),
            frame(0, 0, 24, 16, [7] * (24 * 16))]),
        "offset-opaque.gif": gif(24, 16, 3, [
            frame(5, 3, 12, 8, pattern(12, 8), local=LOCAL),
            frame(0, 0, 24, 16, [7] * (24 * 16))]),
        "beyond-screen.gif": gif(16, 12, 2, [
            frame(8, 6, 12, 10, pattern(12, 10)),
            frame(0, 0, 16, 12, [1] * (16 * 12))]),
    }
    for name, data in files.items():
        with open(name, "wb") as out:
            out.write(data)

    frames = []
    for i in range(3):
        image = Image.new("P", (20, 14), 0)
        image.putpalette(palette_bytes(GLOBAL))
        image.putdata([(x + y + 4 * i) % 16 for y in range(14) for x in range(20)])
        frames.append(image)
    frames[0].save("pillow-written.gif", save_all=True, append_images=frames[1:], disposal=2, transparency=6,
                   background=0, duration=100, loop=0)
    files["pillow-written.gif"] = None

    for name in files:
        image = Image.open(name)
        assert getattr(image, "n_frames", 1) > 1, name
        image.convert("RGB").save(name.replace(".gif", "-pillow.png"))


if __name__ == "__main__":
    main()
