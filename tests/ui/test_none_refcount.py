"""Guard against PySide6 builds that drop references to ``None``.

PySide6-Essentials 6.12.0 on Python 3.11 loses one reference to ``None`` on every binding call
that returns nothing and on every ``index.data(role)`` that answers ``None``; after a few thousand
calls the interpreter aborts (``none_dealloc``) in the middle of ordinary painting. Python 3.12+
is immune because ``None`` is immortal there. The loop runs in a fresh interpreter so that an
affected build fails this test with a message instead of aborting the whole test run."""

from __future__ import annotations

import os
import subprocess
import sys

CALLS = 20_000

PROBE = f"""
import sys
from PySide6.QtCore import QObject, Qt
from PySide6.QtGui import QColor, QGuiApplication, QImage, QPainter, QPalette, QStandardItem, QStandardItemModel

app = QGuiApplication([])
obj = QObject()
palette = QPalette()
image = QImage(4, 4, QImage.Format.Format_ARGB32)
painter = QPainter(image)
model = QStandardItemModel()
model.appendRow(QStandardItem("claim"))
index = model.index(0, 0)
before = sys.getrefcount(None)
for _ in range({CALLS}):
    obj.setObjectName("x")
    palette.setColor(QPalette.ColorRole.Text, QColor("red"))
    painter.save()
    painter.restore()
    index.data(Qt.ItemDataRole.ToolTipRole)
drift = sys.getrefcount(None) - before
painter.end()
print(drift)
"""


def test_void_binding_calls_keep_the_refcount_of_none():
    env = dict(os.environ, QT_QPA_PLATFORM="offscreen")
    result = subprocess.run([sys.executable, "-c", PROBE], capture_output=True, text=True, timeout=120, env=env)
    assert result.returncode == 0, (
        f"the probe died (exit {result.returncode}): this PySide6 build corrupts the refcount of None "
        f"on Python {sys.version_info.major}.{sys.version_info.minor}; pin another version.\n{result.stderr[-2000:]}")
    drift = int(result.stdout.split()[-1])
    assert abs(drift) < 100, f"None lost {-drift} references over {CALLS} calls of each kind: the process would abort"
