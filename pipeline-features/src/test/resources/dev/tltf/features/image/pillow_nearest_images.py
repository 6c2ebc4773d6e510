#!/usr/bin/python3
"""Writes the full-image NEAREST fixtures: coordinates-WxH.png (every pixel encodes its own position:
R = x mod 256, G = y mod 256, B = (x div 256) + 16 * (y div 256)) and that image resized to 299 x 299 by Pillow's
Image.resize(NEAREST), as Keras' load_img does. Run once with Debian's python3-pil (Pillow 9.4):

    /usr/bin/python3 pillow_nearest_images.py"""
from PIL import Image

SIZES = ((640, 480), (512, 384), (584, 872))
OUT = 299

for width, height in SIZES:
    image = Image.new("RGB", (width, height))
    image.putdata([(x % 256, y % 256, x // 256 + 16 * (y // 256)) for y in range(height) for x in range(width)])
    image.save("coordinates-%dx%d.png" % (width, height), optimize=True)
    image.resize((OUT, OUT), Image.NEAREST).save("coordinates-%dx%d-nearest-%d.png" % (width, height, OUT),
                                                 optimize=True)
