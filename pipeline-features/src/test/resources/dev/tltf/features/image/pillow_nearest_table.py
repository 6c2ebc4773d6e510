#!/usr/bin/python3
"""Writes pillow-nearest-table.txt: the source index Pillow's Image.resize(NEAREST) takes for every output index,
for input sizes 1..4000 and the output sizes the tests use. Run once with Debian's python3-pil (Pillow 9.4):

    /usr/bin/python3 pillow_nearest_table.py > pillow-nearest-table.txt

Each input is a 1-pixel-high (and, checked to agree, a 1-pixel-wide) mode 'I' image whose pixel values are their
own indices, so the resized image holds the source index of every output pixel. The table stores, compactly, the
indices that differ from the exact floor((2x + 1) * in / (2 * out)) -- all of them are ties of that expression
where Pillow's running floating-point sum fell just below the whole number."""
import PIL
from PIL import Image

MAX_INPUT = 4000
OUTPUTS = (299, 224, 150, 75)


def resized_indices(size, out, vertical):
    shape = (1, size) if vertical else (size, 1)
    image = Image.new("I", shape)
    image.putdata(list(range(size)))
    return list(image.resize((1, out) if vertical else (out, 1), Image.NEAREST).getdata())


print("# Pillow %s Image.resize(NEAREST): source index of each output index x, for every input size 1..%d."
      % (PIL.__version__, MAX_INPUT))
print("# Made by pillow_nearest_table.py. Every index is floor((2x + 1) * in / (2 * out)) except the ones listed,")
print("# one line per (out, in) that has any: 'out in x=index x=index ...'.")
print("outputs " + " ".join(str(out) for out in OUTPUTS))
print("inputs 1 %d" % MAX_INPUT)
for out in OUTPUTS:
    for size in range(1, MAX_INPUT + 1):
        row = resized_indices(size, out, False)
        assert row == resized_indices(size, out, True), (size, out)
        exceptions = ["%d=%d" % (x, index) for x, index in enumerate(row)
                      if index != (2 * x + 1) * size // (2 * out)]
        if exceptions:
            print("%d %d %s" % (out, size, " ".join(exceptions)))
