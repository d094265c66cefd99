"""Normalise Thai text for people (clean) and for matching (for_matching), keeping the links and phone numbers."""

from __future__ import annotations

import hashlib
import re
import unicodedata
from collections.abc import Callable
from dataclasses import dataclass, field
from functools import lru_cache, wraps

from khaojing.thai import ocrfix
from khaojing.thai.digits import to_arabic

# --- character classes -------------------------------------------------------------------------------------------
CONSONANTS = "\u0e01-\u0e2e"
NON_BASE = "\u0e31\u0e34-\u0e3a\u0e47-\u0e4e"  # vowels above/below, tone marks and signs: they sit on a consonant
TONES = "\u0e48-\u0e4b"
MAI_YAMOK = "\u0e46"
# zero-width and other invisible characters seen in forwarded chat messages (ZWJ and variation selectors included:
# they only glue emoji, which matching ignores); _PUA_THAI maps the legacy Thai glyph variants (U+F700–F71A) back
_INVISIBLE = re.compile("[\u00ad\u034f\u061c\u115f\u1160\u17b4\u17b5\u180e\u200b-\u200f\u202a-\u202e\u2060-\u206f"
                        "\u2800\u3164\ufe00-\ufe0f\ufeff\uffa0\U000e0000-\U000e007f\U000e0100-\U000e01ef]")
_PUA_THAI = str.maketrans(dict(zip(
    [chr(c) for c in range(0xF700, 0xF71B)],
    "\u0e10\u0e34\u0e35\u0e36\u0e37\u0e48\u0e49\u0e4a\u0e4b\u0e4c\u0e48\u0e49\u0e4a\u0e4b\u0e4c\u0e0d"
    "\u0e31\u0e4d\u0e47\u0e48\u0e49\u0e4a\u0e4b\u0e4c\u0e38\u0e39\u0e3a", strict=True)))
_PUA = re.compile("[\uf700-\uf71a]")
_THAI_DIGIT = re.compile("[\u0e50-\u0e59]")
_SURROGATE = re.compile("[\ud800-\udfff]")
_LINE_BREAK_CHARS = "\r\x0b\x0c\x1c-\x1e\x85\u2028\u2029"
_CONTROL_CHARS = "\x00-\x08\x0e-\x1b\x1f\x7f-\x84\x86-\x9f\t"
_LINE_BREAK = re.compile(f"[{_LINE_BREAK_CHARS}]")
_ODD = re.compile(f"\r\n|[{_LINE_BREAK_CHARS}]|[{_CONTROL_CHARS}]|{_INVISIBLE.pattern}")
_SPACES = re.compile("[ \u00a0\u1680\u2000-\u200a\u202f\u205f\u3000]+")
_NEWLINES = re.compile(" ?\n[ \n]*")

# --- Thai spelling fixes (the rules of pythainlp.util.normalize, applied once, in an order that is idempotent) ---
_THAI_FIXES = [
    (re.compile("\u0e40\u0e40"), "\u0e41"),  # เ + เ -> แ
    (re.compile("(?<=[^\u0e24\u0e26])\u0e45"), "\u0e32"),  # ๅ (lakkhangyao) -> า except after ฤ ฦ (ๅๅ: both)
    (re.compile(f"(?<![{TONES}\u0e4c])([{TONES}\u0e4c]+)([\u0e31\u0e34-\u0e3a\u0e47\u0e4d]+)"), "\\2\\1"),  # tone+vowel
    (re.compile(f"\u0e4d([{TONES}]*)\u0e32"), "\\1\u0e33"),  # ํ + (tone) + า -> (tone) + ำ
    (re.compile(f"(?<![\u0e30\u0e32\u0e33\u0e45])([\u0e30\u0e32\u0e33\u0e45]+)([{TONES}]+)"), "\\2\\1"),  # ำ+tone
    (re.compile(f"([{NON_BASE}\u0e30\u0e32\u0e33\u0e40-\u0e44])(?: *\\1)+"), "\\1"),  # repeated vowels and marks
    (re.compile(f"[{TONES}]{{2,}}"), lambda m: m.group()[-1]),  # several tone marks: the last one wins
    (re.compile(f"(?<=[{CONSONANTS}]) +(?=[{NON_BASE}])"), ""),  # พ ุ่ม -> พุ่ม
    (re.compile(f"(?:^|(?<=[ \n]))[{NON_BASE}]+", re.MULTILINE), ""),  # marks with no consonant to sit on
]
_THAI_TRIGGER = re.compile(  # anything one of the fixes above would change
    f"\u0e40\u0e40|\u0e45|\u0e4d|[{TONES}\u0e4c][\u0e31\u0e34-\u0e3a\u0e47\u0e4d]|[\u0e30\u0e32\u0e33][{TONES}]"
    f"|[{TONES}]{{2}}|(?:^|[ \n])[{NON_BASE}]|([{NON_BASE}\u0e30\u0e32\u0e33\u0e40-\u0e44]) *\\1", re.MULTILINE)

# --- links and phone numbers ----------------------------------------------------------------------------------
_TLDS = ("com|net|org|info|biz|co|io|me|ly|at|gd|gl|ee|to|cc|xyz|top|site|online|shop|app|link|live|club|vip|asia|"
         "th|la|kh|mm|vn|my|sg|cn|hk|tw|jp|kr|in|id|ph|us|uk|ru|de|fr|tv|ai|so|mx|br|cf|ga|gq|ml|tk|icu|cyou|buzz")
URL_RE = re.compile(
    r"(?i)(?:(?<![a-z0-9])(?:https?://|www\.)[^\s<>\"'()\[\]{}\u0e00-\u0e7f]{1,2000}(?<![.,!?;:])"
    r"|(?<![\w.@/-])(?:[a-z0-9][a-z0-9-]{0,62}\.){1,4}(?:" + _TLDS + r")\b(?!\.\w)"
    r"(?:/[^\s<>\"'()\[\]{}\u0e00-\u0e7f]{0,2000}(?<![.,!?;:]))?)")
PHONE_RE = re.compile(r"(?<![\w+])(?:\(?\+66\)?[ .-]?(?:\(0\)[ .-]?)?0?|0[ .-]?)(?:\d[ .-]?){7,8}\d(?!\d)")
_COUNTRY_CODE = re.compile(r"^\(?\+66\)?[ .-]?(?:\(0\)[ .-]?)?")
_HOTLINE = re.compile(r"(?:โทร\.?|สายด่วน|ติดต่อ|call|tel\.?|hotline)\s*:?\s*(1\d{3})(?!\d)", re.IGNORECASE)

# --- match key -------------------------------------------------------------------------------------------------
_FANCY = re.compile("[\uff01-\uff5e\u2460-\u24ff\u2070-\u209f\ufb00-\ufb06\U0001d400-\U0001d7ff]+")
_DROPPED_PUNCT = re.compile("[\"'`´“”„‟‘’‚‛«»‹›「」『』()\\[\\]{}<>!?¡¿…*~|_=^\\\\]+")
_DASHES = re.compile("[\u2010-\u2015\u2212\ufe58\ufe63]")
_THOUSANDS = re.compile(r"(?<=\d),(?=\d{3}(?!\d))")
_REPEAT = re.compile(r"([^\d\s])\1{2,}")  # มากกกก -> มาก; digits are amounts and phone numbers: kept
_SYMBOL_CATEGORIES = frozenset(("So", "Sk", "Co", "Cn"))
_NEEDS_REFIX = re.compile(f"(?:^| )[{NON_BASE}]|([{NON_BASE}\u0e30\u0e32\u0e33\u0e40-\u0e44]) +\\1")
_YAMOK = re.compile(f" *{MAI_YAMOK}(?: *{MAI_YAMOK})* *")


# The same text is read several times in a row (the triage job normalises a report for matching, then screening
# derives its match key, links and phones from the cleaned text again): the last few results are kept.
RECENT = 64
RECENT_MAX_CHARS = 20_000  # longer texts are not kept


def _recent(function: Callable[[str], object]) -> Callable[[str], object]:
    """Memoise a pure function of one text for the last RECENT texts (not too long ones)."""
    cached = lru_cache(maxsize=RECENT)(function)

    @wraps(function)
    def recent(text: str) -> object:
        return cached(text) if len(text) <= RECENT_MAX_CHARS else function(text)

    recent.cache_clear = cached.cache_clear  # type: ignore[attr-defined]
    return recent


@dataclass(frozen=True)
class Normalized:
    """A text cleaned for people (`text`) and for matching (`match_text`), with the links and phones found in it."""

    text: str
    match_text: str
    urls: list[str] = field(default_factory=list)
    phones: list[str] = field(default_factory=list)

    @property
    def sha256(self) -> str:
        return hashlib.sha256(self.match_text.encode("utf-8")).hexdigest()


def _unbroken(text: str) -> str:
    """Join surrogate pairs; a lone surrogate (broken UTF-8 read with surrogateescape) becomes U+FFFD."""
    if _SURROGATE.search(text):
        return text.encode("utf-16-le", "surrogatepass").decode("utf-16-le", "replace")
    return text


def _odd_character(match: re.Match[str]) -> str:
    """Line breaks of every kind -> \\n, control characters and tabs -> space, invisible characters -> nothing."""
    found = match.group()
    if found == "\r\n" or _LINE_BREAK.match(found):
        return "\n"
    return "" if _INVISIBLE.match(found) else " "


_FIX_ROUNDS = 6


def _fix_thai(text: str) -> str:
    """The fixes, again until nothing changes: one fix can make another apply (ๅๅ; a tone moved in front of ๅ after
    ฤ), and a cleaned text must clean to itself."""
    for _ in range(_FIX_ROUNDS):
        if not _THAI_TRIGGER.search(text):  # well-formed text (nearly all of it): one scan instead of nine
            return text
        fixed = text
        for pattern, replacement in _THAI_FIXES:
            fixed = pattern.sub(replacement, fixed)
        if fixed == text:
            return text
        text = fixed
    return text


def _tidy_spaces(text: str) -> str:
    """One space between words, at most one line break in a row, none at either end."""
    return _NEWLINES.sub("\n", _SPACES.sub(" ", text)).strip(" \n")


@_recent  # the triage job cleans a report, then screening cleans the cleaned text: most reports are clean already
def clean(text: str) -> str:
    """Readable clean-up: NFC, no invisible/control characters, Thai vowel and tone order fixed, ํา -> ำ,
    Thai digits to Arabic, spaces collapsed (line breaks kept, at most one)."""
    if not text:
        return ""
    text = _ODD.sub(_odd_character, _unbroken(text))
    text = text.translate(_PUA_THAI) if _PUA.search(text) else text
    text = unicodedata.normalize("NFC", text)
    text = to_arabic(text) if _THAI_DIGIT.search(text) else text
    text = _fix_thai(_SPACES.sub(" ", text))
    return _tidy_spaces(text)


def _fold(text: str) -> str:
    """Case and compatibility forms folded (full-width, circled, bold maths letters); Thai is never NFKC'd."""
    text = _FANCY.sub(lambda m: unicodedata.normalize("NFKC", m.group()), text)
    return unicodedata.normalize("NFC", text.lower())


@lru_cache(maxsize=1)
def _symbol_class() -> re.Pattern[str]:
    """Symbols (Unicode So, Sk), private-use and unassigned characters of the BMP beyond Latin-1, as one charset."""
    ranges, start = [], None
    for code in range(0x100, 0x10000):
        hit = unicodedata.category(chr(code)) in _SYMBOL_CATEGORIES and not 0xD800 <= code <= 0xDFFF
        if hit and start is None:
            start = code
        elif not hit and start is not None:
            ranges.append(f"{re.escape(chr(start))}-{re.escape(chr(code - 1))}")
            start = None
    if start is not None:
        ranges.append(f"{re.escape(chr(start))}-\uffff")
    return re.compile(f"[\u00a6\u00a8\u00a9\u00ae\u00af\u00b0\u00b4\u00b8{''.join(ranges)}]+")


def _astral_symbol(match: re.Match[str]) -> str:
    return "".join(" " if unicodedata.category(ch) in _SYMBOL_CATEGORIES else ch for ch in match.group())


@lru_cache(maxsize=1)
def _dropped() -> re.Pattern[str]:
    return re.compile(f"{_DASHES.pattern}|[\U00010000-\U0010ffff]+|{_DROPPED_PUNCT.pattern}|{_symbol_class().pattern}")


def _drop(match: re.Match[str]) -> str:
    found = match.group()
    if _DASHES.match(found):
        return "-"
    return _astral_symbol(match) if found[0] >= "\U00010000" else " "


def _symbols_dropped(text: str) -> str:
    """Emoji and other symbols, quotes, brackets and shouting punctuation become spaces; dashes one hyphen."""
    return _dropped().sub(_drop, text)


def _phones_canonical(text: str) -> str:
    return PHONE_RE.sub(lambda m: _phone_digits(m.group()) or m.group(), text)


def for_matching(text: str) -> str:
    """The key used to compare texts: clean, without links, symbols or shouting; Latin lower-cased; phone numbers
    as bare digits; repeated letters collapsed (มากกกก -> มาก); ๆ written the same way; usual OCR misreadings
    repaired (see ocrfix); one space between words, one line."""
    return _match_key(clean(text))


@_recent
def _match_key(cleaned: str) -> str:
    key = _key_once(cleaned)
    for _ in range(3):  # dropping a symbol can make a link ('0.LINK_' -> '0.link'): take it out too, so a key is
        if not URL_RE.search(key):  # its own key
            break
        key = _key_once(key)
    return key


def _key_once(cleaned: str) -> str:
    text = _symbols_dropped(_fold(URL_RE.sub(" ", cleaned)))
    text = " ".join(_REPEAT.sub(r"\1", _THOUSANDS.sub("", _phones_canonical(text))).split())
    if _NEEDS_REFIX.search(text):  # a removal left a Thai mark after a space, or a vowel repeated across one
        text = " ".join(_fix_thai(text).split())
    return ocrfix.repair(_YAMOK.sub(MAI_YAMOK, text).strip())


def _phone_digits(raw: str) -> str | None:
    """A Thai phone number as national digits ('0812345678'), or None when it is not a valid Thai number."""
    body = _COUNTRY_CODE.sub("", raw)
    groups = re.findall(r"\d+", body)
    if len(groups) > 1 and (len(groups[-1]) < 3 or any(len(g) == 1 for g in groups[1:])):
        return None  # 089-2-12345-6 is a bank account, not a phone
    digits = "".join(groups)
    if body != raw:
        digits = "0" + digits.removeprefix("0")
    if re.fullmatch(r"0[689]\d{8}", digits) or re.fullmatch(r"0[2-57]\d{7}", digits):
        return digits
    return None


def phones_in(text: str) -> list[str]:
    """Thai phone numbers (mobile 06/08/09 + 8 digits, landline 02–07 + 7 digits, +66 forms, 1xxx hotlines after
    โทร/สายด่วน) as national digits, in order of appearance, without repeats."""
    return list(_phones_in(text))


@_recent
def _phones_in(text: str) -> tuple[str, ...]:
    text = URL_RE.sub(" ", to_arabic(text) if _THAI_DIGIT.search(text) else text)
    found = [(m.start(), _phone_digits(m.group())) for m in PHONE_RE.finditer(text)]
    found += [(m.start(1), m.group(1)) for m in _HOTLINE.finditer(text)]
    return tuple(dict.fromkeys(phone for _, phone in sorted(found) if phone))


def urls_in(text: str) -> list[str]:
    """Links as written (http(s)://, www. and bare known-TLD hosts such as bit.ly/x get https://), without repeats."""
    return list(_urls_in(text))


@_recent
def _urls_in(text: str) -> tuple[str, ...]:
    found = []
    for match in URL_RE.finditer(text):
        url = match.group()
        found.append(url if url.lower().startswith(("http://", "https://")) else "https://" + url)
    return tuple(dict.fromkeys(found))


def normalize(text: str) -> Normalized:
    cleaned = clean(text)
    return Normalized(text=cleaned, match_text=_match_key(cleaned), urls=urls_in(cleaned),
                      phones=phones_in(cleaned))
