"""Writes pandas-style-labels.csv the way pandas' DataFrame.to_csv("labels.csv") does: Python's csv module
(pandas' writer) with QUOTE_MINIMAL, doubled quotes, LF line ends, UTF-8, and pandas' unnamed index column first.
Run once with /usr/bin/python3 (no pandas needed); PandasCsvRoundTripTest mirrors the same rows in Java.
"""
import csv

CLASSES = [
    ('a,"b', 'with, comma/"quoted" {i}.jpg'),
    ("chat noir", "spaced name/four five {i}.jpg"),
    ("café 猫", "Ünïcødé/写真 {i}.png"),
]
PER_CLASS = 8

with open("pandas-style-labels.csv", "w", newline="", encoding="utf-8") as f:
    writer = csv.writer(f, quoting=csv.QUOTE_MINIMAL, doublequote=True, lineterminator="\n")
    writer.writerow(["", "path", "label"])
    index = 0
    for label, pattern in CLASSES:
        for i in range(PER_CLASS):
            writer.writerow([index, pattern.format(i=i), label])
            index += 1
