"""The member card as pictures: its QR code (SVG, for the page) and the card itself as a PNG and a PDF to download.

A card shows the name, member number, union and date joined, and a QR code of a signed, expiring token; never the ID
number or the phone. The PDF uses ReportLab's built-in Chinese font (STSong-Light, no font file needed); the PNG
draws with Noto Sans SC, vendored from the npm registry with the other front-end files (`make vendor`).
"""

from __future__ import annotations

import io
import logging
from collections.abc import Callable
from dataclasses import dataclass
from functools import cache
from typing import Any
from urllib.parse import urlencode

import qrcode
import qrcode.constants
from django.contrib.staticfiles import finders
from django.http import HttpRequest
from django.urls import reverse
from django.utils.html import format_html
from django.utils.safestring import SafeString
from PIL import Image, ImageDraw, ImageFont

logger = logging.getLogger(__name__)

# ISO/IEC 7810 ID-1, the size of a bank card: 85.6 mm x 54 mm; the PNG at 300 dpi.
CARD_MM = (85.6, 54.0)
PNG_DPI = 300
PNG_SIZE = (round(CARD_MM[0] / 25.4 * PNG_DPI), round(CARD_MM[1] / 25.4 * PNG_DPI))
FONT_FILE = "vendor/fonts/NotoSansSC-Regular.ttf"
PDF_FONT = "STSong-Light"
RED = (198, 40, 40)
INK = (34, 34, 34)
MUTED = (107, 107, 107)
QR_BORDER = 2  # quiet zone in modules; the card's white margin adds to it


@dataclass(frozen=True)
class CardFace:
    """Everything printed on a card, already formatted and translated."""

    title: str
    name: str
    member_no: str
    union: str
    joined: str
    qr_text: str
    footnote: str
    labels: dict[str, str]  # "member_no", "union", "joined"


def card_qr_text(request: HttpRequest, token: str) -> str:
    """What the card's QR code holds: the address of the staff's verify page with the token, so that a phone camera
    opens the page; the scanner page and the verify API accept the bare token as well."""
    return request.build_absolute_uri(reverse("members:card_verify")) + "?" + urlencode({"token": token})


def qr_matrix(text: str) -> list[list[bool]]:
    """The QR code's modules, quiet zone included (True is dark). Medium error correction survives a scuffed screen."""
    code = qrcode.QRCode(error_correction=qrcode.constants.ERROR_CORRECT_M, border=QR_BORDER)
    code.add_data(text)
    code.make(fit=True)
    return [list(row) for row in code.get_matrix()]


def qr_svg(text: str, *, label: str) -> SafeString:
    """An inline SVG of the QR code: one path of unit squares, scaled by CSS (no inline style, as the CSP asks)."""
    matrix = qr_matrix(text)
    size = len(matrix)
    path = "".join(f"M{x} {y}h1v1h-1z" for y, row in enumerate(matrix) for x, dark in enumerate(row) if dark)
    return format_html(
        '<svg class="qr" xmlns="http://www.w3.org/2000/svg" viewBox="0 0 {} {}" role="img" aria-label="{}" '
        'shape-rendering="crispEdges"><rect width="{}" height="{}" fill="#fff"/><path d="{}" fill="#000"/></svg>',
        size,
        size,
        label,
        size,
        size,
        path,
    )


def _wrap(text: str, width: float, measure: Callable[[str], float], max_lines: int = 2) -> list[str]:
    """Break `text` into lines no wider than `width` (Chinese breaks anywhere); an overlong last line ends in …."""
    lines: list[str] = []
    current = ""
    for ch in text:
        if measure(current + ch) <= width:
            current += ch
            continue
        lines.append(current)
        current = ch
        if len(lines) == max_lines:
            break
    else:
        if current:
            lines.append(current)
        return lines
    last = lines[-1]
    while last and measure(last + "…") > width:
        last = last[:-1]
    return [*lines[:-1], last + "…"]


@cache
def _font_path() -> str | None:
    found = finders.find(FONT_FILE)
    if isinstance(found, list):
        found = found[0] if found else None
    if found is None:
        logger.warning("%s is missing: run `make vendor`; the PNG card falls back to a font without Chinese", FONT_FILE)
    return found


def _font(size: int) -> Any:
    path = _font_path()
    if path is None:
        return ImageFont.load_default(size)
    return ImageFont.truetype(path, size)


def card_png(face: CardFace) -> bytes:
    """The card as a 300 dpi PNG the size of a bank card."""
    width, height = PNG_SIZE
    image = Image.new("RGB", PNG_SIZE, "white")
    draw = ImageDraw.Draw(image)
    header = 130
    draw.rectangle((0, 0, width, header), fill=RED)
    draw.text((48, header // 2), face.title, font=_font(54), fill="white", anchor="lm")

    qr_box = 380
    matrix = qr_matrix(face.qr_text)
    module = qr_box // len(matrix)
    qr_size = module * len(matrix)
    qr_left, qr_top = width - 40 - qr_size, header + (height - header - qr_size) // 2 - 10
    for y, row in enumerate(matrix):
        for x, dark in enumerate(row):
            if dark:
                left, top = qr_left + x * module, qr_top + y * module
                draw.rectangle((left, top, left + module - 1, top + module - 1), fill="black")

    text_width = qr_left - 48 - 24
    name_font = _font(64)
    draw.text((48, header + 30), _wrap(face.name, text_width, name_font.getlength, 1)[0], font=name_font, fill=INK)
    label_font, value_font = _font(28), _font(36)
    y = header + 130
    for key, value in (("member_no", face.member_no), ("union", face.union), ("joined", face.joined)):
        draw.text((48, y), face.labels[key], font=label_font, fill=MUTED)
        y += 36
        for line in _wrap(value, text_width, value_font.getlength):
            draw.text((48, y), line, font=value_font, fill=INK)
            y += 46
        y += 10
    draw.text((width // 2, height - 22), face.footnote, font=_font(24), fill=MUTED, anchor="ms")
    out = io.BytesIO()
    image.save(out, format="PNG", dpi=(PNG_DPI, PNG_DPI))
    return out.getvalue()


def card_pdf(face: CardFace) -> bytes:
    """The card as a one-page PDF the size of a bank card, with vector text and a vector QR code."""
    from reportlab.lib.units import mm
    from reportlab.pdfbase import pdfmetrics
    from reportlab.pdfbase.cidfonts import UnicodeCIDFont
    from reportlab.pdfgen import canvas

    if PDF_FONT not in pdfmetrics.getRegisteredFontNames():
        pdfmetrics.registerFont(UnicodeCIDFont(PDF_FONT))
    width, height = CARD_MM[0] * mm, CARD_MM[1] * mm
    out = io.BytesIO()
    pdf = canvas.Canvas(out, pagesize=(width, height), pageCompression=1)
    pdf.setTitle(f"{face.title} {face.member_no}")
    pdf.setAuthor(face.union)

    header = 11 * mm
    pdf.setFillColorRGB(*(c / 255 for c in RED))
    pdf.rect(0, height - header, width, header, stroke=0, fill=1)
    pdf.setFillColorRGB(1, 1, 1)
    pdf.setFont(PDF_FONT, 13)
    pdf.drawString(4 * mm, height - header + 3.6 * mm, face.title)

    matrix = qr_matrix(face.qr_text)
    qr_size = 32 * mm
    module = qr_size / len(matrix)
    qr_left, qr_bottom = width - 3.5 * mm - qr_size, (height - header - qr_size) / 2
    pdf.setFillColorRGB(0, 0, 0)
    for y, row in enumerate(matrix):
        for x, dark in enumerate(row):
            if dark:
                # A hair of overlap, so viewers do not draw seams between neighbouring modules.
                top = qr_bottom + qr_size - (y + 1) * module
                pdf.rect(qr_left + x * module, top, module + 0.05, module + 0.05, stroke=0, fill=1)

    def measure(size: float) -> Callable[[str], float]:
        return lambda s: pdfmetrics.stringWidth(s, PDF_FONT, size)

    text_width = qr_left - 4 * mm - 2 * mm
    pdf.setFillColorRGB(*(c / 255 for c in INK))
    pdf.setFont(PDF_FONT, 15)
    y = height - header - 7.5 * mm
    pdf.drawString(4 * mm, y, _wrap(face.name, text_width, measure(15), 1)[0])
    y -= 6.5 * mm
    for key, value in (("member_no", face.member_no), ("union", face.union), ("joined", face.joined)):
        pdf.setFillColorRGB(*(c / 255 for c in MUTED))
        pdf.setFont(PDF_FONT, 6.5)
        pdf.drawString(4 * mm, y, face.labels[key])
        y -= 3.6 * mm
        pdf.setFillColorRGB(*(c / 255 for c in INK))
        pdf.setFont(PDF_FONT, 8.5)
        for line in _wrap(value, text_width, measure(8.5)):
            pdf.drawString(4 * mm, y, line)
            y -= 3.8 * mm
        y -= 0.8 * mm
    pdf.setFillColorRGB(*(c / 255 for c in MUTED))
    pdf.setFont(PDF_FONT, 5.5)
    pdf.drawCentredString(width / 2, 1.8 * mm, face.footnote)
    pdf.showPage()
    pdf.save()
    return out.getvalue()
