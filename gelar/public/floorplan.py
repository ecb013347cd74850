"""Geometry for drawing a hall's floor plan as inline SVG.

The plan is drawn in the hall's own units. The view box is cropped to the
booths (halls are mostly aisles), and the drawing is given a pixel width at
which a typical booth is about a thumb wide; on a phone the plan then
scrolls sideways instead of shrinking to unreadable specks.
"""

from dataclasses import dataclass
from statistics import median

from gelar.events.selectors import BoothSpot, HallPlan

BOOTH_PIXELS = 72
MIN_PIXELS, MAX_PIXELS = 320, 2400
MARGIN = 10


@dataclass(frozen=True)
class BoothShape:
    spot: BoothSpot
    x: int
    y: int
    width: int
    height: int
    center_x: float
    code_y: float
    code_size: float
    name_size: float
    label_lines: list[tuple[float, str]]
    highlighted: bool


@dataclass(frozen=True)
class HallDrawing:
    plan: HallPlan
    view_box: str
    pixel_width: int
    pixel_height: int
    shapes: list[BoothShape]

    @property
    def taken(self) -> list[BoothSpot]:
        return [s for s in self.plan.spots if s.exhibitor is not None]


def _truncate(text: str, limit: int) -> str:
    if limit < 2:
        return ""
    return text if len(text) <= limit else text[: limit - 1].rstrip() + "…"


def wrap_label(text: str, width: int, lines: int = 2) -> list[str]:
    """Greedy word wrap into at most `lines` lines of `width` characters, the last truncated."""
    result: list[str] = []
    words = text.split()
    while words and len(result) < lines - 1:
        line = words.pop(0)
        while words and len(line) + 1 + len(words[0]) <= width:
            line += " " + words.pop(0)
        if len(line) > width:
            words.insert(0, line[width:])
            line = line[:width]
        result.append(line)
    if words:
        result.append(_truncate(" ".join(words), width))
    return [line for line in result if line]


def draw_hall(
    plan: HallPlan, *, empty_label: str = "", highlight_booth_id: int | None = None
) -> HallDrawing:
    hall = plan.hall
    booths = [spot.booth for spot in plan.spots]
    if booths:
        left = max(0, min(b.x for b in booths) - MARGIN)
        top = max(0, min(b.y for b in booths) - MARGIN)
        right = max(b.x + b.width for b in booths) + MARGIN
        bottom = max(b.y + b.height for b in booths) + MARGIN
        typical = median(min(b.width, b.height * 2) for b in booths) or 1
    else:
        left, top, right, bottom, typical = 0, 0, hall.width, hall.height, hall.width
    width, height = max(right - left, 1), max(bottom - top, 1)
    pixel_width = int(min(MAX_PIXELS, max(MIN_PIXELS, width * BOOTH_PIXELS / typical)))
    shapes = []
    for spot in plan.spots:
        b = spot.booth
        code_size = max(min(b.height * 0.24, b.width * 0.26), 1)
        name_size = code_size * 0.66
        # An average glyph is about 0.55 em wide in the system sans fonts.
        chars = int(b.width * 0.92 / (name_size * 0.55))
        name = spot.exhibitor.name if spot.exhibitor else empty_label
        lines = wrap_label(name, chars)
        shapes.append(
            BoothShape(
                spot=spot,
                x=b.x,
                y=b.y,
                width=b.width,
                height=b.height,
                center_x=b.x + b.width / 2,
                code_y=round(b.y + b.height * (0.3 if len(lines) > 1 else 0.38), 1),
                code_size=round(code_size, 1),
                name_size=round(name_size, 1),
                label_lines=[
                    (round(b.y + b.height * (0.6 + 0.22 * i if len(lines) > 1 else 0.7), 1), line)
                    for i, line in enumerate(lines)
                ],
                highlighted=b.pk == highlight_booth_id,
            )
        )
    return HallDrawing(
        plan=plan,
        view_box=f"{left} {top} {width} {height}",
        pixel_width=pixel_width,
        pixel_height=round(pixel_width * height / width),
        shapes=shapes,
    )
