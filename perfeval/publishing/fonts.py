"""One embedded font program per face in a PDF merged from parts.

WeasyPrint subsets each font with HarfBuzz keeping the glyph ids of the original font
(``HB_SUBSET_FLAGS_RETAIN_GIDS``, weasyprint/pdf/fonts.py), so a subset of a CJK face costs about 100 KB and
0.2 s whatever it holds; ten parts would carry ten of them. Because the ids are the original ones, every
part's text stays valid with any subset of the same face that holds its glyphs. So a part embeds only a stub
naming its font (:func:`stub_program`, written in the part's render process), and the merge embeds one subset
per face of the original font, made the way WeasyPrint makes its own, over the glyphs every part uses (the
keys of the fonts' /W arrays, which WeasyPrint writes for the used glyphs only). The subset is stored with
the parts, so a merge of unchanged parts subsets nothing.
"""

import io
import subprocess
from functools import cache

from pypdf.generic import DecodedStreamObject, NameObject

CDEF = """
typedef struct hb_blob_t hb_blob_t;
typedef struct hb_face_t hb_face_t;
typedef struct hb_set_t hb_set_t;
typedef struct hb_subset_input_t hb_subset_input_t;
typedef uint32_t hb_codepoint_t;
hb_blob_t *hb_blob_create_from_file_or_fail(const char *file_name);
void hb_blob_destroy(hb_blob_t *blob);
const char *hb_blob_get_data(hb_blob_t *blob, unsigned int *length);
hb_face_t *hb_face_create(hb_blob_t *blob, unsigned int index);
void hb_face_destroy(hb_face_t *face);
hb_blob_t *hb_face_reference_blob(hb_face_t *face);
void hb_set_add(hb_set_t *set, hb_codepoint_t codepoint);
void hb_set_add_range(hb_set_t *set, hb_codepoint_t first, hb_codepoint_t last);
hb_subset_input_t *hb_subset_input_create_or_fail(void);
void hb_subset_input_destroy(hb_subset_input_t *input);
hb_set_t *hb_subset_input_glyph_set(hb_subset_input_t *input);
hb_set_t *hb_subset_input_set(hb_subset_input_t *input, int set_type);
void hb_subset_input_set_flags(hb_subset_input_t *input, unsigned int value);
hb_face_t *hb_subset_or_fail(hb_face_t *source, const hb_subset_input_t *input);
uint32_t hb_tag_from_string(const char *str, int len);
"""
# The flags and dropped tables of WeasyPrint's Font._harfbuzz_subset, so the merged font is what a one-pass
# render would have embedded.
RETAIN_GIDS, DESUBROUTINIZE, NO_HINTING, PASSTHROUGH = 0x2, 0x4, 0x1, 0x20
SETS_DROP_TABLE_TAG = 3
DROP_TABLES = (
    b"BASE",
    b"DSIG",
    b"EBDT",
    b"EBLC",
    b"EBSC",
    b"GPOS",
    b"GSUB",
    b"JSTF",
    b"LTSH",
    b"PCLT",
    b"SVG ",
)


@cache
def _harfbuzz():
    import cffi

    from perfeval.publishing.pdf import load_weasyprint

    load_weasyprint()  # the libraries are loaded already: dlopen by soname finds them at once
    ffi = cffi.FFI()
    ffi.cdef(CDEF)
    return ffi, ffi.dlopen("libharfbuzz.so.0"), ffi.dlopen("libharfbuzz-subset.so.0")


@cache
def installed_fonts() -> dict[str, tuple[str, int]]:
    """PostScript name → (file, index in the collection) of every installed font, from fontconfig."""
    listing = subprocess.run(
        ["fc-list", "--format", "%{postscriptname}\t%{file}\t%{index}\n"],
        capture_output=True,
        text=True,
        check=True,
        timeout=30,
    ).stdout
    files = {}
    for line in listing.splitlines():
        name, path, index = (line.split("\t") + ["", "", ""])[:3]
        if name and path and index.isdigit():
            files.setdefault(name, (path, int(index)))
    return files


def _subset(path: str, index: int, glyphs: set[int]) -> bytes | None:
    ffi, hb, hb_subset = _harfbuzz()
    blob = hb.hb_blob_create_from_file_or_fail(path.encode())
    if blob == ffi.NULL:
        return None
    face = ffi.gc(hb.hb_face_create(blob, index), hb.hb_face_destroy)
    hb.hb_blob_destroy(blob)
    steps = (
        (RETAIN_GIDS | PASSTHROUGH | DESUBROUTINIZE, sorted(glyphs), True),
        (PASSTHROUGH | DESUBROUTINIZE | NO_HINTING, None, False),  # drops the empty ids after the last
    )
    for flags, gids, drop in steps:
        subset_input = ffi.gc(hb_subset.hb_subset_input_create_or_fail(), hb_subset.hb_subset_input_destroy)
        glyph_set = hb_subset.hb_subset_input_glyph_set(subset_input)
        if gids is None:
            hb.hb_set_add_range(glyph_set, 0, max(glyphs))
        else:
            for gid in gids:
                hb.hb_set_add(glyph_set, gid)
        hb_subset.hb_subset_input_set_flags(subset_input, flags)
        if drop:
            drop_set = hb_subset.hb_subset_input_set(subset_input, SETS_DROP_TABLE_TAG)
            for tag in DROP_TABLES:
                hb.hb_set_add(drop_set, hb.hb_tag_from_string(tag, -1))
        result = hb_subset.hb_subset_or_fail(face, subset_input)
        if result == ffi.NULL:
            return None
        face = ffi.gc(result, hb.hb_face_destroy)
    data_blob = hb.hb_face_reference_blob(face)
    length = ffi.new("unsigned int *")
    data = bytes(ffi.buffer(hb.hb_blob_get_data(data_blob, length), length[0]))
    hb.hb_blob_destroy(data_blob)
    return data or None


STUB = b"OTTO perfeval font stub: "


def stub_program(font_file: bytes, index: int) -> bytes | None:
    """What a part embeds instead of a subset of an OpenType (CFF) font: its PostScript name, by which the
    merge finds the installed font. None when the font has no name fontconfig knows (then it is subset)."""
    from fontTools.ttLib import TTFont

    try:
        name = TTFont(io.BytesIO(font_file), fontNumber=index, lazy=True)["name"].getDebugName(6)
    except Exception:  # a font we cannot read is subset by WeasyPrint as usual
        return None
    return STUB + name.encode() if name and name in installed_fonts() else None


def _postscript_name(program: bytes) -> str | None:
    if program.startswith(STUB):
        return program[len(STUB) :].decode()
    from fontTools.ttLib import TTFont

    try:
        return TTFont(io.BytesIO(program), lazy=True)["name"].getDebugName(6)
    except Exception:  # a font we cannot read keeps its own program
        return None


def _used_glyphs(widths) -> set[int]:
    """The glyph ids of a /W array ([first [w w …] first [w …] …] or [first last w])."""
    glyphs, items, i = set(), list(widths), 0
    while i < len(items):
        first = int(items[i])
        if isinstance(items[i + 1].get_object(), list):
            glyphs.update(range(first, first + len(items[i + 1])))
            i += 2
        else:
            glyphs.update(range(first, int(items[i + 1]) + 1))
            i += 3
    return glyphs


def _face_program(name: str, glyphs: set[int]) -> bytes | None:
    """The subset of installed font ``name`` over ``glyphs``, stored with the parts under its own key."""
    import hashlib

    from perfeval.publishing.models import PdfPart
    from perfeval.publishing.pdf import render_version

    ranges = ",".join(str(g) for g in sorted(glyphs))
    key = hashlib.sha256(f"{render_version()}\nfont {name}\n{ranges}".encode()).hexdigest()
    stored = PdfPart.fetch([key]).get(key)
    if stored is not None:
        return bytes(stored.pdf)
    location = installed_fonts().get(name)
    data = _subset(*location, glyphs) if location else None
    if data is not None:
        PdfPart.objects.bulk_create([PdfPart(key=key, pdf=data, pages=0)], ignore_conflicts=True)
    return data


def unify_fonts(writer) -> int:
    """Give all CID fonts of the same face in ``writer`` one program, in place of the parts' stubs and
    subsets; the number of faces rebuilt. A stub that cannot be replaced is an error, never a blank page."""
    faces: dict[str, dict] = {}
    seen = set()
    for page in writer.pages:
        for font_ref in (page.get("/Resources") or {}).get("/Font", {}).values():
            font = font_ref.get_object()
            if id(font) in seen or font.get("/Subtype") != "/Type0":
                continue
            seen.add(id(font))
            descendant = font["/DescendantFonts"][0].get_object()
            descriptor = descendant["/FontDescriptor"].get_object()
            if "/FontFile3" not in descriptor or "/W" not in descendant:
                continue
            program = descriptor["/FontFile3"].get_object()
            data = program.get_data()
            name = _postscript_name(data)
            if name is None:
                continue
            face = faces.setdefault(name, {"descriptors": [], "glyphs": set(), "programs": set(), "stubs": 0})
            face["descriptors"].append(descriptor)
            face["glyphs"] |= _used_glyphs(descendant["/W"])
            face["programs"].add(descriptor.raw_get("/FontFile3").idnum)
            face["stubs"] += data.startswith(STUB)
    rebuilt = 0
    for name, face in faces.items():
        if len(face["programs"]) < 2 and not face["stubs"]:
            continue
        data = _face_program(name, face["glyphs"])
        if data is None:
            if face["stubs"]:
                raise ValueError(f"font {name} cannot be embedded")
            continue
        stream = DecodedStreamObject()
        stream.set_data(data)
        stream[NameObject("/Subtype")] = NameObject("/OpenType")
        reference = writer._add_object(stream.flate_encode())
        for descriptor in face["descriptors"]:
            descriptor[NameObject("/FontFile3")] = reference
        rebuilt += 1
    return rebuilt
