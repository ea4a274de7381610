"""The app's icon in the formats installers need, drawn from resources/app-icon.svg.

Qt draws the SVG at each size (so small sizes are drawn, not shrunk); Pillow (the ``build``
extra) writes the Windows ``.ico`` and the macOS ``.icns`` from those drawings.
"""

from __future__ import annotations

import os
from pathlib import Path

SIZES = (16, 24, 32, 48, 64, 128, 256, 512, 1024)
ICO_SIZES = (16, 24, 32, 48, 64, 128, 256)


def draw_pngs(svg: Path, folder: Path) -> dict[int, Path]:
    """One PNG per size in ``folder``; returns them by size."""
    os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
    from PySide6.QtCore import Qt
    from PySide6.QtGui import QGuiApplication, QImage, QPainter
    from PySide6.QtSvg import QSvgRenderer

    _app = QGuiApplication.instance() or QGuiApplication([])
    renderer = QSvgRenderer(str(svg))
    if not renderer.isValid():
        raise SystemExit(f"cannot read the icon {svg}")
    folder.mkdir(parents=True, exist_ok=True)
    drawn = {}
    for size in SIZES:
        image = QImage(size, size, QImage.Format.Format_ARGB32)
        image.fill(Qt.GlobalColor.transparent)
        painter = QPainter(image)
        painter.setRenderHint(QPainter.RenderHint.Antialiasing)
        renderer.render(painter)
        painter.end()
        path = folder / f"referral-app-{size}.png"
        if not image.save(str(path)):
            raise SystemExit(f"cannot write {path}")
        drawn[size] = path
    return drawn


def make_icons(svg: Path, folder: Path) -> Path:
    """``referral-app.png`` (256), ``.ico`` and ``.icns`` in ``folder``; returns the folder."""
    from PIL import Image

    drawn = draw_pngs(svg, folder / "sizes")
    (folder / "referral-app.png").write_bytes(drawn[256].read_bytes())
    largest = Image.open(drawn[1024])
    ico_images = [Image.open(drawn[size]) for size in ICO_SIZES]
    ico_images[-1].save(
        folder / "referral-app.ico",
        sizes=[(size, size) for size in ICO_SIZES],
        append_images=ico_images[:-1],
    )
    largest.save(folder / "referral-app.icns")
    return folder
