"""Stand-in for QualCoder's `helpers.py`, written for mivcode's tests (not QualCoder code).

QualCoder's own module needs pymupdf, Pillow and a media player; `refi.py` takes only `Message`
from it: a modal QMessageBox whose `exec()` waits for a person to click OK. This one keeps every
message (title, text, icon) in `Message.shown` and returns at once, so the import runs headless.
"""

from PyQt6 import QtWidgets


class Message(QtWidgets.QMessageBox):
    shown: list[tuple[str, str, str | None]] = []

    def __init__(self, app, title, text, icon=None):
        QtWidgets.QMessageBox.__init__(self)
        self.setWindowTitle(title)
        self.setText(text)
        Message.shown.append((title, text, icon))

    def exec(self):  # noqa: A003 - the name QMessageBox uses
        return QtWidgets.QMessageBox.StandardButton.Ok
