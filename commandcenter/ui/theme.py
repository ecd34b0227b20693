"""Colours and style sheets. One palette for the hall (long shifts: calm dark blue-grey) and a
darker, larger one for the wall; state and urgency colours are shared so a case looks the same
on every screen."""

from __future__ import annotations

from PySide6.QtGui import QColor, QFont, QFontDatabase
from PySide6.QtWidgets import QApplication

STATE_COLOURS = {
    "reported": "#f0e68c", "filed": "#7c8cff", "returned": "#ff8a3d", "dispatched": "#2ec4b6",
    "in_progress": "#20a4f3", "rework": "#ff5d8f", "handled": "#c084fc", "closed": "#6b7a8f",
    "evaluated": "#55657a", "rejected": "#4b5563", "cancelled": "#4b5563",
}
URGENCY_COLOURS = {"normal": "#8fa3b8", "urgent": "#ffb020", "critical": "#ff4d4f"}
REPEAT_COLOUR = "#fb923c"          # a case reported more than once
DEADLINE_COLOURS = {"green": "#22c55e", "yellow": "#facc15", "red": "#ef4444"}
GRID_TYPE_COLOURS = {"residential": "#3b82f6", "commercial": "#f59e0b", "enterprise": "#10b981",
                     "crowded": "#ef4444"}
LEVEL_COLOURS = {"daily": "#60a5fa", "prevention": "#34d399", "key": "#fbbf24", "comprehensive": "#f87171"}
LOAD_COLOURS = ["#1e3a5f", "#2f6690", "#f6ae2d", "#f26419", "#d7263d"]   # none … heavy
DENSITY_COLOURS = ["#1f2937", "#134e4a", "#0f766e", "#14b8a6", "#99f6e4"]  # sparse … dense (residents/km²)
ROLE_COLOURS = {"grid_manager": "#38bdf8", "grid_assistant": "#a3e635", "grid_police": "#60a5fa",
                "grid_supervisor": "#f472b6", "party_secretary": "#f87171", "judicial_worker": "#c084fc",
                "grid_firefighter": "#fb923c"}

BG = "#0f1722"
PANEL = "#16212f"
PANEL_2 = "#1d2b3c"
TEXT = "#dbe4ee"
MUTED = "#8aa0b6"
ACCENT = "#38bdf8"
#: the keyboard focus ring: amber, unlike every state, selection and hover colour of the hall,
#: so that a reviewer watching a screenshot always sees where the keys will go
FOCUS = "#fbbf24"

# The focus ring (issue 15): a 2-pixel amber border on whatever has the keyboard focus. Padding
# shrinks by the pixel the border grows, so focusing a control never moves its neighbours;
# views carry a transparent ring when unfocused for the same reason.
FOCUS_QSS = f"""
QPushButton:focus, QToolButton:focus {{ border: 2px solid {FOCUS}; padding: 2px 9px; }}
QLineEdit:focus, QComboBox:focus, QSpinBox:focus, QDateTimeEdit:focus, QDateEdit:focus, QPlainTextEdit:focus,
QTextEdit:focus {{ border: 2px solid {FOCUS}; padding: 1px 5px; }}
QCheckBox, QRadioButton {{ border: 2px solid transparent; border-radius: 3px; padding: 1px 3px; }}
QCheckBox:focus, QRadioButton:focus {{ border-color: {FOCUS}; }}
QTableView, QTreeView, QListView, QGraphicsView, QScrollArea, QWidget[focusRing="true"] {{
    border: 2px solid transparent; }}
QTableView:focus, QTreeView:focus, QListView:focus, QGraphicsView:focus, QScrollArea:focus,
QWidget[focusRing="true"]:focus {{ border: 2px solid {FOCUS}; }}
QTabBar::tab:focus {{ border: 2px solid {FOCUS}; }}
QTreeView::item:disabled, QListView::item:disabled, QTableView::item:disabled {{ color: #51657a; }}
QDialog#command-palette, QDialog#handover-write, QDialog#handover-pending {{ border: 1px solid {ACCENT}; }}
"""

HALL_QSS = f"""
QMainWindow, QWidget {{ background: {BG}; color: {TEXT}; }}
QDockWidget {{ color: {TEXT}; font-weight: bold; }}
QDockWidget::title {{ background: {PANEL_2}; padding: 4px 8px; text-align: left; }}
QTableView, QTreeView, QListView {{ background: {PANEL}; alternate-background-color: #1a2636;
    gridline-color: #243447; selection-background-color: #1f4e79; selection-color: white; border: none; }}
QHeaderView::section {{ background: {PANEL_2}; color: {MUTED}; padding: 3px 6px; border: none;
    border-right: 1px solid #243447; }}
QLineEdit, QComboBox, QSpinBox, QDateTimeEdit, QPlainTextEdit, QTextEdit {{ background: {PANEL_2}; color: {TEXT};
    border: 1px solid #2c3e55; border-radius: 3px; padding: 2px 6px; }}
QPushButton, QToolButton {{ background: {PANEL_2}; color: {TEXT}; border: 1px solid #2c3e55; border-radius: 3px;
    padding: 3px 10px; }}
QPushButton:hover, QToolButton:hover {{ border-color: {ACCENT}; }}
QPushButton:disabled {{ color: #51657a; border-color: #223246; }}
QPushButton[primary="true"] {{ background: #1f6feb; border-color: #388bfd; color: white; }}
QToolButton:checked {{ background: #1f4e79; border-color: {ACCENT}; }}
QLabel[role="muted"] {{ color: {MUTED}; }}
QLabel[role="kpi-value"] {{ font-size: 22px; font-weight: bold; color: white; }}
QLabel[role="kpi-label"] {{ color: {MUTED}; font-size: 11px; }}
QLabel[role="banner-error"] {{ background: #5c1a1a; color: #ffd7d7; border: 1px solid #ef4444; padding: 6px;
    border-radius: 3px; }}
QLabel[role="banner-ok"] {{ background: #12361f; color: #c9f7d8; border: 1px solid #22c55e; padding: 6px;
    border-radius: 3px; }}
QLabel[role="title"] {{ font-size: 16px; font-weight: bold; color: white; }}
QStatusBar {{ background: {PANEL_2}; color: {MUTED}; }}
QMenuBar, QMenu {{ background: {PANEL_2}; color: {TEXT}; }}
QMenu::item:selected, QMenuBar::item:selected {{ background: #1f4e79; }}
QTabBar::tab {{ background: {PANEL_2}; color: {MUTED}; padding: 4px 12px; }}
QTabBar::tab:selected {{ color: white; border-bottom: 2px solid {ACCENT}; }}
QCheckBox {{ color: {TEXT}; spacing: 6px; }}
QCheckBox::indicator {{ width: 12px; height: 12px; border: 1px solid #4b6584; background: {PANEL_2};
    border-radius: 2px; }}
QCheckBox::indicator:checked {{ background: {ACCENT}; border-color: {ACCENT}; }}
QGroupBox {{ border: 1px solid #2c3e55; margin-top: 10px; padding-top: 6px; }}
QGroupBox::title {{ subcontrol-origin: margin; left: 8px; color: {MUTED}; }}
{FOCUS_QSS}"""

WALL_QSS = HALL_QSS + """
QWidget { background: #070c14; }
QLabel[role="wall-title"] { font-size: 34px; font-weight: bold; color: white; }
QLabel[role="wall-clock"] { font-size: 30px; color: #9fb3c8; }
QLabel[role="kpi-value"] { font-size: 44px; }
QLabel[role="kpi-label"] { font-size: 18px; }
QLabel[role="wall-heading"] { font-size: 22px; font-weight: bold; color: #9fd8ff; }
QTableView { font-size: 18px; background: #0b1320; }
QLabel[role="stale"] { background: #7a1d1d; color: white; font-size: 28px; font-weight: bold; padding: 10px; }
QLabel[role="live"] { color: #22c55e; font-size: 20px; }
"""


def qcolor(hex_: str, alpha: int = 255) -> QColor:
    c = QColor(hex_)
    c.setAlpha(alpha)
    return c


def apply_base_font(app: QApplication) -> None:
    """Prefer a CJK font so Chinese renders the same on every machine that has one."""
    families = set(QFontDatabase.families())
    for family in ("Noto Sans CJK SC", "WenQuanYi Micro Hei", "Source Han Sans SC", "Microsoft YaHei",
                   "PingFang SC"):
        if family in families:
            font = QFont(family, 10)
            app.setFont(font)
            return
