"""The encoded inputs of the image fixtures: generated pictures (numpy noise, gradients and
shapes), a small PNG writer for every bit depth, colour type, chunk order and Adam7, and
the list of fixtures. Used by make_image_fixtures.py.
"""

from __future__ import annotations

import io
import struct
import subprocess
import tempfile
import zlib
from pathlib import Path

import numpy as np
from PIL import Image


# --- pictures -------------------------------------------------------------------------


def picture(width: int, height: int, seed: int, channels: int = 3) -> np.ndarray:
    """A photo-like picture: gradients, a few discs and bars, and noise."""
    rng = np.random.default_rng(seed)
    y, x = np.mgrid[0:height, 0:width].astype(np.float64)
    image = np.zeros((height, width, channels))
    for c in range(channels):
        fx, fy = rng.uniform(0.5, 3.0, size=2)
        image[..., c] = 128 + 90 * np.sin(x / max(width, 1) * fx * 6.28 + c) * np.cos(y / max(height, 1) * fy * 6.28)
    for _ in range(4):
        cx, cy = rng.uniform(0, width), rng.uniform(0, height)
        r = rng.uniform(0.1, 0.4) * max(1, min(width, height))
        mask = (x - cx) ** 2 + (y - cy) ** 2 < r * r
        image[mask] = rng.uniform(0, 255, size=channels)
    image[:, (np.arange(width) // 7) % 5 == 0] *= 0.6
    image += rng.normal(0, 12, size=image.shape)
    return np.clip(image, 0, 255).round().astype(np.uint8)


def exif_with_orientation(orientation: int) -> bytes:
    exif = Image.Exif()
    exif[0x0112] = orientation
    exif[0x010F] = "swift-embed"
    return exif.tobytes()


# --- a small PNG writer (every bit depth, colour type, chunk order, Adam7) --------------


def png_chunk(kind: bytes, data: bytes) -> bytes:
    return struct.pack(">I", len(data)) + kind + data + struct.pack(">I", zlib.crc32(kind + data) & 0xFFFFFFFF)


def pack_rows(samples: np.ndarray, depth: int) -> list[bytes]:
    """samples: (h, w, c) integers; returns the packed scanlines (without filter bytes)."""
    h, w, c = samples.shape
    rows = []
    for row in samples:
        flat = row.reshape(-1)
        if depth == 16:
            rows.append(flat.astype(">u2").tobytes())
        elif depth == 8:
            rows.append(flat.astype(np.uint8).tobytes())
        else:
            per = 8 // depth
            padded = np.zeros(((len(flat) + per - 1) // per) * per, dtype=np.uint8)
            padded[: len(flat)] = flat
            packed = np.zeros(len(padded) // per, dtype=np.uint8)
            for i in range(per):
                packed |= (padded[i::per] << (8 - depth * (i + 1))).astype(np.uint8)
            rows.append(packed.tobytes())
    return rows


ADAM7 = [(0, 0, 8, 8), (4, 0, 8, 8), (0, 4, 4, 8), (2, 0, 4, 4), (0, 2, 2, 4), (1, 0, 2, 2), (0, 1, 1, 2)]


def write_png(samples, depth, color_type, palette=None, trns=None, interlace=False,
              before=(), after=(), idat_splits=1) -> bytes:
    if samples.ndim == 2:
        samples = samples[..., None]
    h, w, _ = samples.shape
    raw = b""
    passes = ADAM7 if interlace else [(0, 0, 1, 1)]
    for x0, y0, dx, dy in passes:
        sub = samples[y0::dy, x0::dx]
        if sub.shape[0] == 0 or sub.shape[1] == 0:
            continue
        for row in pack_rows(sub, depth):
            raw += b"\x00" + row
    data = zlib.compress(raw, 9)
    out = b"\x89PNG\r\n\x1a\n" + png_chunk(b"IHDR", struct.pack(">IIBBBBB", w, h, depth, color_type, 0, 0, int(interlace)))
    for kind, payload in before:
        out += png_chunk(kind, payload)
    if palette is not None:
        out += png_chunk(b"PLTE", bytes(np.asarray(palette, dtype=np.uint8).reshape(-1)))
    if trns is not None:
        out += png_chunk(b"tRNS", trns)
    step = max(1, (len(data) + idat_splits - 1) // idat_splits)
    for start in range(0, len(data), step):
        out += png_chunk(b"IDAT", data[start : start + step])
    for kind, payload in after:
        out += png_chunk(kind, payload)
    return out + png_chunk(b"IEND", b"")


# --- the fixtures ---------------------------------------------------------------------


def pil_bytes(image: Image.Image, fmt: str, **options) -> bytes:
    buffer = io.BytesIO()
    image.save(buffer, fmt, **options)
    return buffer.getvalue()


def cjpeg(image: Image.Image, *arguments: str) -> bytes:
    """Encodes with Debian's cjpeg (progressive, arithmetic, restart markers)."""
    with tempfile.TemporaryDirectory() as folder:
        source = Path(folder) / "in.ppm"
        image.save(source)
        return subprocess.run(["cjpeg", *arguments, str(source)], check=True, capture_output=True).stdout


def make_inputs() -> dict[str, bytes]:
    """Every fixture's encoded bytes, by file name."""
    f: dict[str, bytes] = {}
    rgb = Image.fromarray(picture(64, 48, 1))
    odd = Image.fromarray(picture(67, 45, 2))
    gray = Image.fromarray(picture(40, 30, 3, 1)[..., 0], "L")

    # JPEG
    f["jpeg-444.jpg"] = pil_bytes(rgb, "JPEG", quality=92, subsampling=0)
    f["jpeg-420-odd.jpg"] = pil_bytes(odd, "JPEG", quality=85, subsampling=2)
    f["jpeg-422.jpg"] = pil_bytes(odd, "JPEG", quality=75, subsampling=1)
    f["jpeg-progressive.jpg"] = pil_bytes(odd, "JPEG", quality=80, progressive=True)
    f["jpeg-cjpeg-progressive.jpg"] = cjpeg(odd, "-progressive", "-quality", "70")
    f["jpeg-arithmetic.jpg"] = cjpeg(rgb, "-arithmetic", "-quality", "80")
    f["jpeg-restart.jpg"] = cjpeg(odd, "-restart", "1", "-quality", "90")
    f["jpeg-gray.jpg"] = pil_bytes(gray, "JPEG", quality=90)
    f["jpeg-cmyk.jpg"] = pil_bytes(Image.fromarray(picture(33, 21, 4, 4), "CMYK"), "JPEG", quality=90)
    f["jpeg-1x1.jpg"] = pil_bytes(Image.fromarray(picture(1, 1, 5)), "JPEG", quality=90)
    f["jpeg-wide.jpg"] = pil_bytes(Image.fromarray(picture(4000, 6, 6)), "JPEG", quality=80)
    f["jpeg-tall.jpg"] = pil_bytes(Image.fromarray(picture(7, 1500, 7)), "JPEG", quality=80)
    f["jpeg-large.jpg"] = pil_bytes(Image.fromarray(picture(320, 240, 8)), "JPEG", quality=85)
    # Portrait, shrunk more in height than twice the width: Pillow 13 resizes vertically first.
    f["jpeg-portrait.jpg"] = pil_bytes(Image.fromarray(picture(250, 700, 22)), "JPEG", quality=80)
    small = Image.fromarray(picture(24, 16, 9))
    for orientation in range(1, 9):
        f[f"jpeg-exif-{orientation}.jpg"] = pil_bytes(small, "JPEG", quality=90, exif=exif_with_orientation(orientation))
    xmp = b'<x:xmpmeta xmlns:x="adobe:ns:meta/"><rdf:Description tiff:Orientation="6"/></x:xmpmeta>'
    f["jpeg-xmp-6.jpg"] = pil_bytes(small, "JPEG", quality=90, xmp=xmp)
    baseline = f["jpeg-444.jpg"]
    f["bad-jpeg-truncated.jpg"] = baseline[: len(baseline) * 6 // 10]
    f["bad-jpeg-progressive-truncated.jpg"] = f["jpeg-progressive.jpg"][: len(f["jpeg-progressive.jpg"]) * 6 // 10]
    f["bad-jpeg-no-eoi.jpg"] = baseline[:-2]
    f["bad-jpeg-header.jpg"] = baseline[:2] + b"\xff\xc0\x00\x05garbage" + baseline[200:260]
    damaged = bytearray(baseline)
    sos = baseline.index(b"\xff\xda")
    for i in range(sos + 40, len(damaged) - 10, 97):
        damaged[i] ^= 0x5A
    f["jpeg-damaged-scan.jpg"] = bytes(damaged)

    # PNG (our own writer for full control of depth, colour type and chunk order)
    pic = picture(37, 23, 10)
    alpha = picture(37, 23, 11, 1)[..., 0]
    alpha[::5, ::3] = 0
    alpha[1::7, ::2] = 255
    for depth in (1, 2, 4, 8):
        values = (pic[..., 0].astype(np.int64) * (2**depth - 1) // 255)
        f[f"png-gray{depth}.png"] = write_png(values, depth, 0)
    gray16 = pic[..., 0].astype(np.int64) * 257 - pic[..., 1]
    gray16[0, :8] = [0, 1, 100, 255, 256, 300, 4000, 65535]
    f["png-gray16.png"] = write_png(gray16, 16, 0)
    f["png-gray8-trns.png"] = write_png(pic[..., 0], 8, 0, trns=struct.pack(">H", int(pic[0, 0, 0])))
    f["png-gray-alpha8.png"] = write_png(np.dstack([pic[..., 0], alpha]), 8, 4)
    f["png-gray-alpha16.png"] = write_png(np.dstack([gray16, alpha.astype(np.int64) * 257]), 16, 4)
    f["png-rgb8.png"] = write_png(pic, 8, 2)
    rgb16 = pic.astype(np.int64) * 257 - np.roll(pic, 1, axis=1)
    f["png-rgb16.png"] = write_png(rgb16, 16, 2)
    f["png-rgb8-trns.png"] = write_png(pic, 8, 2, trns=struct.pack(">HHH", *[int(v) for v in pic[0, 0]]))
    f["png-rgba8.png"] = write_png(np.dstack([pic, alpha]), 8, 6)
    f["png-rgba16.png"] = write_png(np.dstack([rgb16, alpha.astype(np.int64) * 257]), 16, 6)
    f["png-rgb8-interlaced.png"] = write_png(pic, 8, 2, interlace=True)
    f["png-rgba16-interlaced.png"] = write_png(np.dstack([rgb16, alpha.astype(np.int64) * 257]), 16, 6, interlace=True)
    f["png-gray2-interlaced.png"] = write_png(pic[..., 1].astype(np.int64) * 3 // 255, 2, 0, interlace=True)
    rng = np.random.default_rng(12)
    for depth in (1, 2, 4, 8):
        colors = min(2**depth, 200)
        palette = rng.integers(0, 256, size=(colors, 3))
        indices = (pic[..., 2].astype(np.int64) * colors) // 256
        f[f"png-palette{depth}.png"] = write_png(indices, depth, 3, palette=palette)
    palette = rng.integers(0, 256, size=(16, 3))
    indices = (pic[..., 1].astype(np.int64) * 16) // 256
    f["png-palette4-trns.png"] = write_png(indices, 4, 3, palette=palette, trns=bytes(range(0, 256, 37)))
    f["png-1x1.png"] = write_png(pic[:1, :1], 8, 2)
    f["png-wide.png"] = write_png(picture(3000, 4, 13), 8, 2)
    f["png-portrait.png"] = write_png(picture(18, 60, 23), 8, 2)
    f["png-multi-idat.png"] = write_png(pic, 8, 2, idat_splits=7)
    small16 = picture(24, 16, 14)
    tiff6 = exif_with_orientation(6)[6:] if exif_with_orientation(6).startswith(b"Exif") else exif_with_orientation(6)
    tiff3 = exif_with_orientation(3)
    tiff3 = tiff3[6:] if tiff3.startswith(b"Exif") else tiff3
    f["png-exif-6.png"] = write_png(small16, 8, 2, before=[(b"eXIf", tiff6)])
    f["png-exif-late-3.png"] = write_png(small16, 8, 2, after=[(b"eXIf", tiff3)])
    tiff8 = exif_with_orientation(8)
    tiff8 = tiff8[6:] if tiff8.startswith(b"Exif") else tiff8
    raw_profile = ("\nexif\n%8d\n" % len(tiff8)) + tiff8.hex()
    f["png-raw-profile-8.png"] = write_png(
        small16, 8, 2, before=[(b"zTXt", b"Raw profile type exif\0\0" + zlib.compress(raw_profile.encode()))])
    xmp5 = b'<x:xmpmeta><rdf:Description tiff:Orientation="5"/></x:xmpmeta>'
    f["png-xmp-5.png"] = write_png(small16, 8, 2, before=[(b"iTXt", b"XML:com.adobe.xmp\0\0\0\0\0" + xmp5)])
    good = f["png-rgb8.png"]
    f["bad-png-truncated.png"] = good[: len(good) * 6 // 10]
    f["bad-png-no-iend.png"] = good[:-12]
    broken = bytearray(good)
    idat = good.index(b"IDAT")
    broken[idat + 8] ^= 0xFF  # inside the zlib stream
    f["bad-png-idat-data.png"] = bytes(broken)
    bad_crc = bytearray(good)
    bad_crc[good.index(b"IEND") - 5] ^= 0xFF  # the last byte of the IDAT's CRC: Pillow does not check it
    f["png-idat-crc.png"] = bytes(bad_crc)
    bad_crc = bytearray(good)
    bad_crc[29] ^= 0xFF  # the IHDR's CRC: Pillow refuses the file
    f["bad-png-ihdr-crc.png"] = bytes(bad_crc)
    f["bad-png-text-crc.png"] = write_png(pic, 8, 2, before=[(b"tEXt", b"Comment\0hello")])
    text_crc = bytearray(f["bad-png-text-crc.png"])
    text_crc[33 + 8 + len(b"Comment\0hello")] ^= 0x01
    f["bad-png-text-crc.png"] = bytes(text_crc)
    late_crc = bytearray(write_png(pic, 8, 2, after=[(b"tEXt", b"Comment\0late")]))
    late_crc[late_crc.index(b"IEND") - 5] ^= 0x01  # a chunk after the image data: not checked
    f["png-late-text-crc.png"] = bytes(late_crc)
    def declared(width: int, height: int) -> bytes:
        ihdr = png_chunk(b"IHDR", struct.pack(">IIBBBBB", width, height, 8, 0, 0, 0, 0))
        return b"\x89PNG\r\n\x1a\n" + ihdr + png_chunk(b"IDAT", zlib.compress(b"\0" * 1000)) + png_chunk(b"IEND", b"")

    f["bad-png-bomb-pixels.png"] = declared(8000, 8000)
    f["bad-png-bomb-side.png"] = declared(30000, 10)
    f["bad-png-signature-only.png"] = good[:8]

    # WebP
    webp_rgb = Image.fromarray(picture(45, 31, 15))
    webp_rgba = Image.fromarray(np.dstack([picture(45, 31, 15), picture(45, 31, 16, 1)]), "RGBA")
    f["webp-lossy.webp"] = pil_bytes(webp_rgb, "WEBP", quality=80)
    f["webp-lossless.webp"] = pil_bytes(webp_rgb, "WEBP", lossless=True)
    f["webp-lossy-alpha.webp"] = pil_bytes(webp_rgba, "WEBP", quality=70)
    f["webp-lossless-alpha.webp"] = pil_bytes(webp_rgba, "WEBP", lossless=True, exact=True)
    f["webp-1x1.webp"] = pil_bytes(Image.fromarray(picture(1, 1, 17)), "WEBP", quality=90)
    f["webp-exif-6.webp"] = pil_bytes(Image.fromarray(picture(24, 16, 18)), "WEBP", quality=90, exif=exif_with_orientation(6))
    frames = [Image.fromarray(picture(30, 20, 19 + i)) for i in range(3)]
    f["webp-animated.webp"] = pil_bytes(frames[0], "WEBP", save_all=True, append_images=frames[1:], duration=100, quality=80)
    lossy = f["webp-lossy.webp"]
    f["bad-webp-truncated.webp"] = lossy[: len(lossy) * 6 // 10]
    f["bad-webp-header.webp"] = lossy[:20] + b"\xff" * 40 + lossy[60:]

    # Other data
    f["bad-empty.bin"] = b""
    f["bad-text.txt"] = b"this is not an image\n"
    f["bad-gif.gif"] = pil_bytes(Image.fromarray(picture(8, 8, 20)).convert("P"), "GIF")
    f["bad-bmp.bmp"] = pil_bytes(Image.fromarray(picture(8, 8, 21)), "BMP")
    return f
