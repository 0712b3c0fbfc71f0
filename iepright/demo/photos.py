"""Draw the demo's evidence: phone photos of school work, made with Pillow when the demo loads.

A graded quiz, a notebook page, a homework worksheet and a planner page, each on a sheet
turned a little on a desk, as a parent photographs it at the kitchen table. Everything is
drawn here (no network, no stored pictures); the writing is made-up strokes, the printed words
name no one. The same seed draws the same picture, so every demo is the same.
"""

from __future__ import annotations

import io
import math
import random
from collections.abc import Callable

from PIL import Image, ImageDraw, ImageFilter, ImageFont

WIDTH, HEIGHT = 720, 960  # the photo, portrait, as a phone takes a sheet of paper
SHEET = (600, 776)  # letter paper, 8.5 × 11
PENCIL = (70, 70, 82)
INK_RED = (196, 30, 40)
PRINT = (35, 35, 35)
RULE_BLUE = (150, 180, 215)

Draw = Callable[[ImageDraw.ImageDraw, random.Random], None]


def _font(size: int) -> ImageFont.FreeTypeFont | ImageFont.ImageFont:
    return ImageFont.load_default(size=size)


def _scribble(
    draw: ImageDraw.ImageDraw,
    rng: random.Random,
    x: float,
    y: float,
    length: float,
    *,
    height: float = 9,
    fill: tuple[int, int, int] = PENCIL,
) -> None:
    """Write one made-up word in cursive: a looping line (a trochoid), slanting a little."""
    letters = max(2, int(length / rng.uniform(7, 10)))
    per = length / letters
    points = []
    for i in range(letters * 12 + 1):
        t = i / 12 * math.tau  # one loop a letter
        tall = 1.8 if (i // 12) % 5 == 2 and rng.random() < 0.5 else 1.0
        rise = height * tall * (1 - math.cos(t)) / 2
        points.append((x + t / math.tau * per - math.sin(t) * per * 0.45 + rise * 0.25, y - rise))
    draw.line(points, fill=fill, width=2, joint="curve")


def _handwriting(
    draw: ImageDraw.ImageDraw, rng: random.Random, x: float, y: float, width: float
) -> None:
    """Write a line of made-up words from `x` to about `x + width`."""
    end = x + width * rng.uniform(0.6, 1.0)
    while x < end - 20:
        word = rng.uniform(18, 70)
        _scribble(draw, rng, x, y, min(word, end - x))
        x += word + rng.uniform(8, 14)


def _header(draw: ImageDraw.ImageDraw, rng: random.Random, title: str) -> None:
    draw.text((40, 34), title, font=_font(26), fill=PRINT)
    draw.text((40, 78), "Name", font=_font(16), fill=PRINT)
    draw.line([(92, 94), (330, 94)], fill=PRINT, width=1)
    _scribble(draw, rng, 104, 90, 70, height=12)  # a first name, in pencil
    draw.text((360, 78), "Date", font=_font(16), fill=PRINT)
    draw.line([(404, 94), (560, 94)], fill=PRINT, width=1)
    _scribble(draw, rng, 414, 90, 60, height=10)


def quiz(draw: ImageDraw.ImageDraw, rng: random.Random) -> None:
    """A quiz handed in unfinished, graded in red: the last questions blank."""
    _header(draw, rng, rng.choice(["Math Quiz: Fractions", "Science Quiz: Matter"]))
    questions = 10
    answered = rng.randint(5, 7)
    right = answered - rng.randint(0, 1)
    for n in range(questions):
        y = 140 + n * 60
        draw.text((40, y), f"{n + 1}.", font=_font(18), fill=PRINT)
        draw.line([(80, y + 36), (390, y + 36)], fill=(190, 190, 190), width=1)
        if n < answered:
            _handwriting(draw, rng, 90, y + 32, 210)
            if n < right:  # a red tick
                draw.line([(404, y + 20), (416, y + 34), (442, y + 4)], fill=INK_RED, width=4)
            else:
                draw.line([(406, y + 8), (434, y + 34)], fill=INK_RED, width=4)
                draw.line([(434, y + 8), (406, y + 34)], fill=INK_RED, width=4)
    draw.ellipse([(464, 124), (576, 200)], outline=INK_RED, width=4)
    draw.text((478, 142), f"{right}/{questions}", font=_font(34), fill=INK_RED)


def notes_page(draw: ImageDraw.ImageDraw, rng: random.Random) -> None:
    """A notebook page copied from the board that stops halfway: no guided-notes outline."""
    for y in range(130, SHEET[1] - 20, 30):
        draw.line([(0, y), (SHEET[0], y)], fill=RULE_BLUE, width=1)
    draw.line([(70, 0), (70, SHEET[1])], fill=(226, 120, 130), width=2)
    for hole in (120, SHEET[1] // 2, SHEET[1] - 120):
        draw.ellipse([(18, hole - 12), (42, hole + 12)], fill=(205, 200, 190))
    _scribble(draw, rng, 90, 66, 150, height=14)  # the lesson's title
    _scribble(draw, rng, 400, 66, 90, height=10)  # the date
    for line in range(rng.randint(6, 10)):
        _handwriting(draw, rng, 84 + (20 if line % 3 else 0), 156 + line * 30, 470)


def worksheet(draw: ImageDraw.ImageDraw, rng: random.Random) -> None:
    """A homework worksheet with every problem assigned, the first few worked in pencil."""
    _header(draw, rng, "Homework: Multiplication")
    font = _font(20)
    for n in range(20):
        col, row = n % 2, n // 2
        x, y = 50 + col * 280, 140 + row * 58
        a, b = rng.randint(12, 98), rng.randint(3, 9)
        # "x", not "×": the bundled font has no multiplication sign.
        draw.text((x, y), f"{n + 1}.  {a} x {b} =", font=font, fill=PRINT)
        if n < rng.randint(5, 9):
            _scribble(draw, rng, x + 150, y + 20, 40, height=10)
    draw.text((40, SHEET[1] - 40), "Do all 20 problems.", font=_font(16), fill=PRINT)


def planner(draw: ImageDraw.ImageDraw, rng: random.Random) -> None:
    """A week of the assignment planner, the check-out boxes left empty some days."""
    draw.text((40, 34), "My Week", font=_font(28), fill=PRINT)
    days = ["Mon", "Tue", "Wed", "Thu", "Fri"]
    top, row = 100, 130
    for i, day in enumerate(days):
        y = top + i * row
        draw.rectangle([(30, y), (SHEET[0] - 30, y + row - 10)], outline=(120, 120, 120), width=2)
        draw.text((44, y + 10), day, font=_font(20), fill=PRINT)
        for box, label in ((0, "check-in"), (1, "check-out")):
            bx = 380 + box * 100
            draw.rectangle([(bx, y + 12), (bx + 24, y + 36)], outline=PRINT, width=2)
            draw.text((bx - 6, y + 42), label, font=_font(13), fill=PRINT)
            if box == 0 or rng.random() < 0.5:  # a teacher's tick
                draw.line(
                    [(bx + 4, y + 24), (bx + 10, y + 32), (bx + 22, y + 14)], fill=INK_RED, width=3
                )
        for line in range(2):
            _handwriting(draw, rng, 110, y + 40 + line * 34, 230)


KINDS: dict[str, Draw] = {
    "quiz": quiz,
    "notes": notes_page,
    "worksheet": worksheet,
    "planner": planner,
}


def photo(kind: str, seed: int) -> bytes:
    """Return a JPEG photo of a sheet of school work of `kind` (a key of KINDS)."""
    rng = random.Random(seed)  # noqa: S311 (a picture, not a secret)
    sheet = Image.new("RGB", SHEET, (250, 248, 240))
    KINDS[kind](ImageDraw.Draw(sheet), rng)
    sheet = sheet.filter(ImageFilter.GaussianBlur(0.6))  # a phone's lens, not a scanner

    desk = Image.new("RGB", (WIDTH, HEIGHT), (150, 110, 74))
    grain = ImageDraw.Draw(desk)
    for y in range(0, HEIGHT, 3):  # the wood's grain
        shade = int(12 * math.sin(y / 17 + rng.random()))
        grain.line(
            [(0, y), (WIDTH, y + rng.randint(-6, 6))], fill=(150 + shade, 110 + shade, 74 + shade)
        )
    angle = rng.uniform(-5, 5)
    turned = sheet.rotate(angle, resample=Image.Resampling.BICUBIC, expand=True)
    mask = Image.new("L", SHEET, 255).rotate(angle, resample=Image.Resampling.BICUBIC, expand=True)
    x = (WIDTH - turned.width) // 2 + rng.randint(-10, 10)
    y = (HEIGHT - turned.height) // 2 + rng.randint(-10, 10)
    shadow = Image.new("RGB", turned.size, (60, 45, 30))
    desk.paste(shadow, (x + 8, y + 10), mask.filter(ImageFilter.GaussianBlur(8)))
    desk.paste(turned, (x, y), mask)

    # Light from one side, as from a kitchen window.
    light = Image.linear_gradient("L").transpose(Image.Transpose.ROTATE_90).resize(desk.size)
    desk = Image.composite(
        desk, Image.new("RGB", desk.size, (0, 0, 0)), light.point(lambda v: 200 + v // 5)
    )
    out = io.BytesIO()
    desk.save(out, "JPEG", quality=82)
    return out.getvalue()
