"""Demo pictures drawn with Pillow: product photos stand-ins and exhibitor logos.

Nothing is downloaded: the demo must load offline and its pictures must carry no
third party's rights. Each picture is drawn from a few numbers, so the same
arguments always give the same bytes.
"""

import io
import math
from functools import lru_cache
from pathlib import Path

from PIL import Image, ImageDraw, ImageFilter, ImageFont

PRODUCT_SIZE = 480
LOGO_SIZE = 240
_FONT_PATH = Path("/usr/share/fonts/truetype/dejavu/DejaVuSans-Bold.ttf")

# Background, motif and accent colour per category: a visitor scanning the
# catalogue tells batik from food at a glance.
CATEGORY_COLOURS: dict[str, tuple[str, str, str]] = {
    "batik-fesyen": ("#3b2a5a", "#c9a25a", "#f3e3c3"),
    "makanan": ("#c2452d", "#f2b134", "#fff4dc"),
    "minuman": ("#4b2e1e", "#8fb339", "#f6ead2"),
    "kerajinan": ("#8a6a3b", "#d9bf8c", "#f7efdd"),
    "produk-unggulan": ("#145a5a", "#e0c45c", "#e9f5f2"),
    "kecantikan-herbal": ("#7a3b5e", "#9bc59d", "#fbe9f0"),
}
DEFAULT_COLOURS = ("#335577", "#99bbdd", "#eef4fa")

LOGO_COLOURS = [
    "#8e3b46",
    "#3b5a8e",
    "#2f7a54",
    "#a8632a",
    "#5b3f8e",
    "#1f6f78",
    "#7a6a1f",
    "#4a4a4a",
]


@lru_cache(maxsize=16)
def _font(size: int) -> ImageFont.FreeTypeFont | ImageFont.ImageFont:
    if _FONT_PATH.exists():
        return ImageFont.truetype(str(_FONT_PATH), size)
    return ImageFont.load_default(size=size)


def _wrap(draw: ImageDraw.ImageDraw, text: str, font, max_width: int) -> list[str]:
    lines: list[str] = []
    for word in text.split():
        if lines and draw.textlength(f"{lines[-1]} {word}", font=font) <= max_width:
            lines[-1] = f"{lines[-1]} {word}"
        else:
            lines.append(word)
    return lines


def _batik(draw: ImageDraw.ImageDraw, variant: int, motif: str, accent: str) -> None:
    size = PRODUCT_SIZE
    style = variant % 4
    if style == 0:  # kawung: four ellipses around each grid point
        step = 96
        for cx in range(0, size + step, step):
            for cy in range(0, size + step, step):
                for dx, dy in ((-1, 0), (1, 0), (0, -1), (0, 1)):
                    ex, ey = cx + dx * 24, cy + dy * 24
                    rx, ry = (22, 12) if dx else (12, 22)
                    draw.ellipse((ex - rx, ey - ry, ex + rx, ey + ry), outline=motif, width=4)
                draw.ellipse((cx - 4, cy - 4, cx + 4, cy + 4), fill=accent)
    elif style == 1:  # parang: diagonal bands with a row of small blades
        step = 90
        for offset in range(-size, size * 2, step):
            draw.line((offset, 0, offset + size, size), fill=motif, width=16)
            for t in range(0, size, 60):
                x, y = offset + t + 26, t + 10
                draw.ellipse((x - 9, y - 5, x + 9, y + 5), fill=accent)
    elif style == 2:  # ceplok: concentric circles on a grid
        step = 120
        for cx in range(step // 2, size + step, step):
            for cy in range(step // 2, size + step, step):
                for r, colour in ((46, motif), (30, accent), (14, motif)):
                    draw.ellipse((cx - r, cy - r, cx + r, cy + r), outline=colour, width=5)
    else:  # jlamprang: eight-pointed stars, Pekalongan's own motif
        step = 120
        for cx in range(step // 2, size + step, step):
            for cy in range(step // 2, size + step, step):
                points = []
                for k in range(16):
                    r = 40 if k % 2 == 0 else 18
                    a = math.pi * k / 8
                    points.append((cx + r * math.cos(a), cy + r * math.sin(a)))
                draw.polygon(points, outline=motif, width=4)
                draw.ellipse((cx - 7, cy - 7, cx + 7, cy + 7), fill=accent)


def _pouch(draw: ImageDraw.ImageDraw, variant: int, motif: str, accent: str) -> None:
    """A stand-up pouch of snacks with a window and a zip line."""
    for x in range(20, PRODUCT_SIZE, 60):
        for y in range(20 + (variant % 2) * 30, PRODUCT_SIZE, 60):
            draw.ellipse((x - 5, y - 5, x + 5, y + 5), fill=motif)
    left, top, right, bottom = 130, 40 + (variant % 4) * 6, 350, 320
    draw.rounded_rectangle(
        (left, top, right, bottom), radius=26, fill=accent, outline=motif, width=6
    )
    draw.line((left + 12, top + 30, right - 12, top + 30), fill=motif, width=4)
    window = (left + 45, top + 70, right - 45, top + 170)
    draw.rounded_rectangle(window, radius=40, fill=motif)


def _bottle(draw: ImageDraw.ImageDraw, variant: int, motif: str, accent: str) -> None:
    """A bottle (or a coffee pouch for odd variants)."""
    for y in range(0, PRODUCT_SIZE, 40):
        draw.line((0, y, PRODUCT_SIZE, y + 40), fill=motif, width=3)
    if variant % 2 == 0:
        draw.rectangle((215, 40, 265, 70), fill=motif)
        draw.rounded_rectangle((225, 65, 255, 120), radius=8, fill=accent)
        draw.rounded_rectangle((165, 110, 315, 320), radius=34, fill=accent, outline=motif, width=6)
        draw.rectangle((165, 190, 315, 270), fill=motif)
    else:
        draw.polygon(((150, 60), (330, 60), (350, 320), (130, 320)), fill=accent, outline=motif)
        draw.rectangle((150, 60, 330, 90), fill=motif)
        draw.ellipse((200, 170, 280, 250), fill=motif)


def _weave(draw: ImageDraw.ImageDraw, variant: int, motif: str, accent: str) -> None:
    """Anyaman: strips woven over and under."""
    step = 40 + (variant % 3) * 8
    for i, x in enumerate(range(0, PRODUCT_SIZE, step)):
        for j, y in enumerate(range(0, PRODUCT_SIZE, step)):
            colour = motif if (i + j) % 2 == 0 else accent
            if (i + j) % 2 == 0:
                draw.rectangle((x + 3, y + 10, x + step - 3, y + step - 10), fill=colour)
            else:
                draw.rectangle((x + 10, y + 3, x + step - 10, y + step - 3), fill=colour)


def _gems(draw: ImageDraw.ImageDraw, variant: int, motif: str, accent: str) -> None:
    step = 110 - (variant % 3) * 12
    for cx in range(step // 2, PRODUCT_SIZE + step, step):
        for cy in range(step // 2, PRODUCT_SIZE + step, step):
            r = step // 3
            diamond = ((cx, cy - r), (cx + r, cy), (cx, cy + r), (cx - r, cy))
            draw.polygon(diamond, fill=motif, outline=accent, width=3)
            draw.line((cx - r, cy, cx + r, cy), fill=accent, width=2)


def _jar(draw: ImageDraw.ImageDraw, variant: int, motif: str, accent: str) -> None:
    for k in range(9):
        a = 2 * math.pi * k / 9 + variant
        x, y = 240 + 190 * math.cos(a), 200 + 170 * math.sin(a)
        draw.ellipse((x - 34, y - 14, x + 34, y + 14), fill=motif)
    draw.rounded_rectangle((160, 90, 320, 130), radius=10, fill=motif)
    draw.rounded_rectangle((150, 125, 330, 320), radius=30, fill=accent, outline=motif, width=6)
    draw.ellipse((205, 180, 275, 250), outline=motif, width=6)


_PATTERNS = {
    "batik-fesyen": _batik,
    "makanan": _pouch,
    "minuman": _bottle,
    "kerajinan": _weave,
    "produk-unggulan": _gems,
    "kecantikan-herbal": _jar,
}


def product_image_jpeg(*, label: str, category_slug: str, variant: int, quality: int = 72) -> bytes:
    """A 480x480 JPEG: the category's pattern and the product's name on a label."""
    background, motif, accent = CATEGORY_COLOURS.get(category_slug, DEFAULT_COLOURS)
    image = Image.new("RGB", (PRODUCT_SIZE, PRODUCT_SIZE), background)
    draw = ImageDraw.Draw(image)
    _PATTERNS.get(category_slug, _weave)(draw, variant, motif, accent)
    # A soft focus, as in a photo of the product, also halves the JPEG: hard
    # pattern edges are what costs bytes, and the label below stays sharp.
    image = image.filter(ImageFilter.GaussianBlur(1.5))
    draw = ImageDraw.Draw(image)

    font = _font(34)
    lines = _wrap(draw, label, font, PRODUCT_SIZE - 80)[:3]
    line_height = 42
    band_top = PRODUCT_SIZE - 40 - line_height * len(lines) - 24
    draw.rounded_rectangle(
        (24, band_top, PRODUCT_SIZE - 24, PRODUCT_SIZE - 24), radius=18, fill="#ffffff"
    )
    for n, line in enumerate(lines):
        y = band_top + 16 + n * line_height
        draw.text((PRODUCT_SIZE // 2, y), line, font=font, fill="#1d1d1d", anchor="ma")

    out = io.BytesIO()
    image.save(out, format="JPEG", quality=quality, optimize=True)
    return out.getvalue()


def logo_png(*, initials: str, colour_index: int) -> bytes:
    """A 240x240 PNG: the business's initials on a coloured circle."""
    colour = LOGO_COLOURS[colour_index % len(LOGO_COLOURS)]
    image = Image.new("RGB", (LOGO_SIZE, LOGO_SIZE), "#ffffff")
    draw = ImageDraw.Draw(image)
    draw.ellipse((8, 8, LOGO_SIZE - 8, LOGO_SIZE - 8), fill=colour)
    draw.text(
        (LOGO_SIZE // 2, LOGO_SIZE // 2), initials, font=_font(96), fill="#ffffff", anchor="mm"
    )
    out = io.BytesIO()
    # A palette keeps a flat two-colour logo at a few kilobytes.
    image.quantize(colors=16).save(out, format="PNG", optimize=True)
    return out.getvalue()
