"""Flex Message JSON -> HTML: a generic renderer of what LINE would show, for the console's preview page.

It reads the message objects the bot sends (the dicts of channels/line/flex.py), not the data behind them, so a
preview cannot drift from what is sent. Covered: text messages, flex bubbles and carousels, boxes (vertical,
horizontal, baseline), text, button, separator, image, filler, and quick replies. Sizes and spacings follow
LINE's Flex Message reference (the pixel values LINE's clients use); the output is escaped HTML with inline styles
and `lf-` classes (the stylesheet is CSS below).
"""

from __future__ import annotations

import re
from typing import Any

from markupsafe import Markup, escape

BUBBLE_WIDTH = {"nano": 120, "micro": 160, "deca": 220, "hecto": 241, "kilo": 260, "mega": 300, "giga": 500}
TEXT_SIZE = {"xxs": 11, "xs": 13, "sm": 14, "md": 16, "lg": 19, "xl": 22, "xxl": 29, "3xl": 35, "4xl": 48,
             "5xl": 74}
SPACE = {"none": 0, "xs": 2, "sm": 4, "md": 8, "lg": 12, "xl": 16, "xxl": 20}
BUTTON_HEIGHT = {"sm": 40, "md": 52}
PRIMARY, SECONDARY, LINK = "#17C950", "#DCDFE5", "#42659A"
SEPARATOR = "#D4D6DA"
SECTION_PADDING = {"header": 20, "hero": 0, "body": 20, "footer": 10}
SAFE_VALUE = re.compile(r"^[#%.\w /-]{1,40}$")  # colours, sizes, "1 1 0", "20 / 13": nothing that ends a rule
# the page that shows a preview needs inline styles (the only way to carry the JSON's colours and sizes)
CSP = ("default-src 'self'; img-src 'self' data: https:; style-src 'self' 'unsafe-inline'; script-src 'self'; "
       "frame-ancestors 'none'; form-action 'self'; base-uri 'self'")

CSS = """
.lf-chat { background: #8CABD9; padding: 16px; border-radius: 8px; display: flex; flex-direction: column; gap: 10px;
  font-family: "Noto Sans Thai", "Loma", "Garuda", "Helvetica Neue", Arial, sans-serif; color: #111; }
.lf-text-message { align-self: flex-start; max-width: 300px; background: #fff; border-radius: 16px; padding: 8px 12px;
  font-size: 15px; line-height: 1.45; white-space: pre-wrap; overflow-wrap: anywhere; }
.lf-carousel { display: flex; gap: 8px; overflow-x: auto; align-items: stretch; padding-bottom: 4px; }
.lf-bubble { flex: none; background: #fff; border-radius: 17px; overflow: hidden; display: flex;
  flex-direction: column; box-shadow: 0 1px 2px rgba(0,0,0,.15); }
.lf-section { display: flex; flex-direction: column; }
.lf-section-body { flex: 1 1 auto; }
.lf-box { display: flex; min-width: 0; }
.lf-text { line-height: 1.4; min-width: 0; overflow-wrap: anywhere; }
.lf-nowrap { white-space: nowrap; overflow: hidden; text-overflow: ellipsis; }
.lf-clamp { display: -webkit-box; -webkit-box-orient: vertical; overflow: hidden; }
.lf-button { display: flex; align-items: center; justify-content: center; border-radius: 8px; font-size: 16px;
  text-decoration: none; padding: 0 12px; text-align: center; overflow: hidden; white-space: nowrap; }
.lf-separator { border: 0; border-top: 1px solid; margin: 0; align-self: stretch; }
.lf-image { display: block; width: 100%; object-fit: cover; }
.lf-quick { display: flex; flex-wrap: wrap; gap: 6px; }
.lf-quick span { background: #fff; border: 1px solid #b7c3d6; border-radius: 16px; padding: 4px 12px; font-size: 13px;
  color: #111; }
"""


def _px(value: Any, scale: dict[str, int]) -> int | None:
    if isinstance(value, str):
        if value in scale:
            return scale[value]
        if value.endswith("px") and value[:-2].isdigit():
            return int(value[:-2])
    return None


def _style(**props: object) -> str:
    """An inline style; a value that is not a plain CSS word, number, colour or ratio is left out."""
    parts = [f"{k.replace('_', '-')}: {v}" for k, v in props.items()
             if v is not None and v != "" and SAFE_VALUE.match(str(v))]
    return f' style="{"; ".join(parts)}"' if parts else ""


def _margin(c: dict, parent: dict | None, first: bool) -> int | None:
    """LINE puts `margin` (or else the parent's `spacing`) before every child but the first."""
    if first:
        return None
    own = _px(c.get("margin"), SPACE)
    if own is not None:
        return own
    return _px((parent or {}).get("spacing"), SPACE)


def _flex(c: dict, parent: dict | None) -> str | None:
    layout = (parent or {}).get("layout", "vertical")
    grow = c.get("flex", 0 if layout == "vertical" else 1)
    return f"{int(grow)} {int(grow)} {'0' if layout != 'vertical' and grow else 'auto'}"


def _gap_style(c: dict, parent: dict | None, first: bool) -> dict[str, object]:
    layout = (parent or {}).get("layout", "vertical")
    m = _margin(c, parent, first)
    side = "margin_top" if layout == "vertical" else "margin_left"
    return {side: f"{m}px" if m else None, "flex": _flex(c, parent)}


def component(c: dict, parent: dict | None = None, first: bool = True) -> Markup:
    kind = c.get("type")
    render = {"box": _box, "text": _text, "button": _button, "separator": _separator, "image": _image,
              "filler": _filler, "spacer": _filler}.get(str(kind))
    if render is None:
        return Markup(f'<div class="lf-unknown">[{escape(str(kind))}]</div>')
    return render(c, parent, first)


def _box(c: dict, parent: dict | None, first: bool) -> Markup:
    layout = c.get("layout", "vertical")
    pad = _px(c.get("paddingAll"), SPACE)
    style = _style(flex_direction="column" if layout == "vertical" else "row",
                   align_items="baseline" if layout == "baseline" else None,
                   background_color=c.get("backgroundColor"), padding=f"{pad}px" if pad is not None else None,
                   border_radius=c.get("cornerRadius"), **_gap_style(c, parent, first))
    inner = Markup("").join(component(child, c, i == 0) for i, child in enumerate(c.get("contents") or []))
    return Markup(f'<div class="lf-box lf-{escape(layout)}"{style}>{inner}</div>')


def _text(c: dict, parent: dict | None, first: bool) -> Markup:
    size = _px(c.get("size", "md"), TEXT_SIZE) or TEXT_SIZE["md"]
    classes = ["lf-text"]
    lines = c.get("maxLines") if c.get("wrap") else None
    if not c.get("wrap"):
        classes.append("lf-nowrap")
    elif lines:
        classes.append("lf-clamp")
    style = _style(font_size=f"{size}px", font_weight="700" if c.get("weight") == "bold" else None,
                   color=c.get("color"), text_align={"start": "left", "end": "right", "center": "center"}.get(
                       c.get("align", "")), white_space="pre-wrap" if c.get("wrap") else None,
                   _webkit_line_clamp=lines, **_gap_style(c, parent, first))
    return Markup(f'<div class="{" ".join(classes)}"{style}>{escape(c.get("text", ""))}</div>')


def _button(c: dict, parent: dict | None, first: bool) -> Markup:
    action = c.get("action") or {}
    style_name = c.get("style", "link")
    colour = c.get("color")
    background = {"primary": colour or PRIMARY, "secondary": colour or SECONDARY}.get(style_name)
    fg = {"primary": "#FFFFFF", "secondary": "#111111"}.get(style_name, colour or LINK)
    height = _px(c.get("height", "md"), BUTTON_HEIGHT) or BUTTON_HEIGHT["md"]
    style = _style(background_color=background, color=fg, height=f"{height}px", **_gap_style(c, parent, first))
    label = escape(action.get("label", ""))
    if action.get("type") == "uri":
        return Markup(f'<a class="lf-button lf-{escape(style_name)}" href="{escape(action.get("uri", ""))}" '
                      f'rel="noopener noreferrer" target="_blank"{style}>{label}</a>')
    title = escape(f"postback: {action.get('data', '')}")
    return Markup(f'<span class="lf-button lf-{escape(style_name)}" title="{title}"{style}>{label}</span>')


def _separator(c: dict, parent: dict | None, first: bool) -> Markup:
    m = _margin(c, parent, first)
    side = "margin_top" if (parent or {}).get("layout", "vertical") == "vertical" else "margin_left"
    style = _style(border_top_color=c.get("color") or SEPARATOR, **{side: f"{m}px" if m else None})
    return Markup(f'<hr class="lf-separator"{style}>')


def _image(c: dict, parent: dict | None, first: bool) -> Markup:
    ratio = str(c.get("aspectRatio", "1:1")).replace(":", " / ")
    style = _style(aspect_ratio=ratio, object_fit="contain" if c.get("aspectMode") == "fit" else "cover",
                   **_gap_style(c, parent, first))
    return Markup(f'<img class="lf-image" src="{escape(c.get("url", ""))}" alt=""{style}>')


def _filler(c: dict, parent: dict | None, first: bool) -> Markup:
    return Markup(f'<div class="lf-filler"{_style(flex=_flex({"flex": c.get("flex", 1)}, parent))}></div>')


def bubble(b: dict) -> Markup:
    width = BUBBLE_WIDTH.get(b.get("size", "mega"), BUBBLE_WIDTH["mega"])
    sections = []
    for name in ("header", "hero", "body", "footer"):
        block = b.get(name)
        if not block:
            continue
        pad = SECTION_PADDING[name] if block.get("paddingAll") is None else None
        inner = component(block)
        sections.append(Markup(f'<div class="lf-section lf-section-{name}"'
                               f'{_style(padding=pad is not None and f"{pad}px" or None)}>{inner}</div>'))
    return Markup(f'<div class="lf-bubble"{_style(width=f"{width}px")}>{Markup("").join(sections)}</div>')


def flex_contents(contents: dict) -> Markup:
    if contents.get("type") == "carousel":
        inner = Markup("").join(bubble(b) for b in contents.get("contents") or [])
        return Markup(f'<div class="lf-carousel">{inner}</div>')
    return bubble(contents)


def message(m: dict) -> Markup:
    """One message object as LINE would show it in the chat, with its quick replies below."""
    if m.get("type") == "flex":
        html = Markup(f'<div class="lf-flex" title="{escape(m.get("altText", ""))}">'
                      f'{flex_contents(m.get("contents") or {})}</div>')
    elif m.get("type") == "text":
        html = Markup(f'<div class="lf-text-message">{escape(m.get("text", ""))}</div>')
    else:
        html = Markup(f'<div class="lf-text-message">[{escape(str(m.get("type")))}]</div>')
    items = ((m.get("quickReply") or {}).get("items")) or []
    if items:
        chips = Markup("").join(Markup(f"<span>{escape((i.get('action') or {}).get('label', ''))}</span>")
                                for i in items)
        html += Markup(f'<div class="lf-quick">{chips}</div>')
    return html


def chat(messages: list[dict]) -> Markup:
    """Messages sent in one call, as a chat window."""
    return Markup(f'<div class="lf-chat">{Markup("").join(message(m) for m in messages)}</div>')
