#!/usr/bin/python3
"""Writes three small ICC v2 display profiles (matrix/TRC) for the colour-profile tests:

  adobe-rgb-1998.icc  Adobe RGB (1998)'s primaries and white point (D65), gamma 563/256
  display-p3.icc      Display P3's primaries (D65) with the sRGB tone curve, as phones embed in every photo
  extreme.icc         red and blue primaries swapped and gamma 0.45: any colour management shows at once

Primaries are adapted to the D50 connection space with the Bradford transform, as ICC requires. Run once:

    /usr/bin/python3 make_profiles.py"""
import struct

D50 = (0.9642, 1.0, 0.8249)
BRADFORD = ((0.8951, 0.2664, -0.1614), (-0.7502, 1.7135, 0.0367), (0.0389, -0.0685, 1.0296))


def mul(a, b):
    return tuple(tuple(sum(a[i][k] * b[k][j] for k in range(3)) for j in range(3)) for i in range(3))


def apply(m, v):
    return tuple(sum(m[i][k] * v[k] for k in range(3)) for i in range(3))


def inverse(m):
    (a, b, c), (d, e, f), (g, h, i) = m
    det = a * (e * i - f * h) - b * (d * i - f * g) + c * (d * h - e * g)
    return ((( e * i - f * h) / det, (c * h - b * i) / det, (b * f - c * e) / det),
            ((f * g - d * i) / det, (a * i - c * g) / det, (c * d - a * f) / det),
            ((d * h - e * g) / det, (b * g - a * h) / det, (a * e - b * d) / det))


def xyz(x, y):
    return (x / y, 1.0, (1 - x - y) / y)


def rgb_to_d50(primaries, white):
    """The RGB to XYZ (D50) matrix; its columns are the rXYZ, gXYZ and bXYZ tags."""
    columns = [xyz(*p) for p in primaries]
    m = tuple(tuple(columns[j][i] for j in range(3)) for i in range(3))
    w = xyz(*white)
    s = apply(inverse(m), w)
    m = tuple(tuple(m[i][j] * s[j] for j in range(3)) for i in range(3))
    cone_source = apply(BRADFORD, w)
    cone_target = apply(BRADFORD, D50)
    scale = tuple(tuple(cone_target[i] / cone_source[i] if i == j else 0.0 for j in range(3)) for i in range(3))
    adapt = mul(inverse(BRADFORD), mul(scale, BRADFORD))
    return mul(adapt, m)


def s15(v):
    return struct.pack(">i", int(round(v * 65536)))


def xyz_tag(v):
    return b"XYZ " + bytes(4) + b"".join(s15(c) for c in v)


def gamma_curve(gamma):
    return b"curv" + bytes(4) + struct.pack(">IH", 1, int(round(gamma * 256))) + bytes(2)


def srgb_curve():
    values = []
    for i in range(1024):
        v = i / 1023
        values.append(v / 12.92 if v <= 0.04045 else ((v + 0.055) / 1.055) ** 2.4)
    return b"curv" + bytes(4) + struct.pack(">I", 1024) + b"".join(struct.pack(">H", round(v * 65535))
                                                                     for v in values)


def description(text):
    ascii_text = text.encode("ascii") + b"\0"
    return (b"desc" + bytes(4) + struct.pack(">I", len(ascii_text)) + ascii_text + struct.pack(">II", 0, 0)
            + struct.pack(">HB", 0, 0) + bytes(67))


def profile(name, primaries, white, curve):
    m = rgb_to_d50(primaries, white)
    tags = [(b"desc", description(name)),
            (b"cprt", b"text" + bytes(4) + b"No copyright, use freely (tltf test fixture)\0"),
            (b"wtpt", xyz_tag(D50)),
            (b"rXYZ", xyz_tag([m[i][0] for i in range(3)])),
            (b"gXYZ", xyz_tag([m[i][1] for i in range(3)])),
            (b"bXYZ", xyz_tag([m[i][2] for i in range(3)])),
            (b"rTRC", curve), (b"gTRC", curve), (b"bTRC", curve)]
    offset = 128 + 4 + 12 * len(tags)
    table = struct.pack(">I", len(tags))
    data = b""
    shared = {}
    for signature, body in tags:
        if body in shared:
            table += signature + struct.pack(">II", shared[body], len(body))
            continue
        while (offset + len(data)) % 4:
            data += b"\0"
        shared[body] = offset + len(data)
        table += signature + struct.pack(">II", offset + len(data), len(body))
        data += body
    size = 128 + len(table) + len(data)
    header = (struct.pack(">I", size) + bytes(4) + struct.pack(">I", 0x02100000) + b"mntrRGB XYZ "
              + struct.pack(">6H", 2026, 1, 1, 0, 0, 0) + b"acsp" + bytes(4) + bytes(4) + bytes(8) + bytes(8)
              + struct.pack(">I", 0) + b"".join(s15(c) for c in D50) + bytes(4))
    header += bytes(128 - len(header))
    return header + table + data


D65 = (0.3127, 0.3290)
SRGB = ((0.64, 0.33), (0.30, 0.60), (0.15, 0.06))
PROFILES = {
    "adobe-rgb-1998.icc": profile("Adobe RGB (1998) compatible (tltf test)",
                                  ((0.64, 0.33), (0.21, 0.71), (0.15, 0.06)), D65, gamma_curve(563 / 256)),
    "display-p3.icc": profile("Display P3 compatible (tltf test)",
                              ((0.680, 0.320), (0.265, 0.690), (0.150, 0.060)), D65, srgb_curve()),
    "extreme.icc": profile("Swapped red/blue, gamma 0.45 (tltf test)", (SRGB[2], SRGB[1], SRGB[0]), D65,
                           gamma_curve(0.45)),
}

if __name__ == "__main__":
    for file_name, data in PROFILES.items():
        with open(file_name, "wb") as out:
            out.write(data)
