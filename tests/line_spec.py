"""Check JSON against LINE's own OpenAPI specs (../shared/specs/line-openapi): a small, strict validator.

It understands what those files use: $ref, allOf, discriminator (propertyName + mapping), type, required,
properties, additionalProperties, enum, pattern, min/max length, items, min/max items, minimum/maximum and the
uri/uuid formats. It is stricter than LINE's schemas in one way, on purpose: a property no schema declares is an
error (LINE itself answers 400 to unknown properties), so typos in our builders are caught.
"""

from __future__ import annotations

import re
import uuid
from functools import cache
from pathlib import Path
from typing import Any

import yaml

SPEC_DIR = Path(__file__).resolve().parents[1].parent / "shared" / "specs" / "line-openapi"
MESSAGING = SPEC_DIR / "messaging-api.yml"
WEBHOOK = SPEC_DIR / "webhook.yml"
_TYPES = {"string": str, "integer": int, "number": (int, float), "boolean": bool, "array": list, "object": dict}


@cache
def load(path: Path) -> dict[str, Any]:
    return yaml.safe_load(path.read_text(encoding="utf-8"))


class Spec:
    def __init__(self, path: Path):
        self.doc = load(path)
        self.schemas: dict[str, Any] = self.doc["components"]["schemas"]

    def _resolve(self, schema: dict) -> dict:
        while "$ref" in schema:
            schema = self.schemas[schema["$ref"].rsplit("/", 1)[1]]
        return schema

    def _merged(self, schema: dict) -> tuple[dict, set[str], Any, list[dict]]:
        """Properties, required names, additionalProperties and the constraint-bearing parts of an allOf tree."""
        schema = self._resolve(schema)
        props: dict = dict(schema.get("properties", {}))
        required = set(schema.get("required", []))
        extra = schema.get("additionalProperties")
        parts = [schema]
        for sub in schema.get("allOf", []):
            p, r, e, more = self._merged(sub)
            props.update({k: v for k, v in p.items() if k not in props})
            required |= r
            extra = extra if extra is not None else e
            parts += more
        return props, required, extra, parts

    def errors(self, instance: Any, name: str) -> list[str]:
        found: list[str] = []
        self._check(instance, {"$ref": f"#/components/schemas/{name}"}, name, found)
        return found

    def validate(self, instance: Any, name: str) -> None:
        problems = self.errors(instance, name)
        assert not problems, f"not a valid {name}:\n  " + "\n  ".join(problems[:20])

    def _dispatch(self, instance: dict, schema: dict, path: str, found: list[str]) -> dict | None:
        disc = schema.get("discriminator")
        if not disc:
            return schema
        tag = instance.get(disc["propertyName"])
        target = disc.get("mapping", {}).get(tag)
        if target is None:
            found.append(f"{path}.{disc['propertyName']}: {tag!r} is not one of {sorted(disc.get('mapping', {}))}")
            return None
        return self._resolve({"$ref": target})

    def _check(self, instance: Any, schema: dict, path: str, found: list[str]) -> None:
        schema = self._resolve(schema)
        if isinstance(instance, dict) and "discriminator" in schema:
            schema = self._dispatch(instance, schema, path, found)
            if schema is None:
                return
        props, required, extra, parts = self._merged(schema)
        declared = next((p.get("type") for p in parts if p.get("type")), None)
        if declared is None and (props or required):
            declared = "object"
        if declared:
            expected = _TYPES[declared]
            if not isinstance(instance, expected) or (declared in ("integer", "number") and
                                                      isinstance(instance, bool)):
                found.append(f"{path}: expected {declared}, got {type(instance).__name__}")
                return
        for part in parts:
            self._scalar(instance, part, path, found)
        if isinstance(instance, dict):
            for key in sorted(required - set(instance)):
                found.append(f"{path}: missing required property {key!r}")
            for key, value in instance.items():
                if key in props:
                    self._check(value, props[key], f"{path}.{key}", found)
                elif isinstance(extra, dict):
                    self._check(value, extra, f"{path}.{key}", found)
                elif extra is not True:
                    found.append(f"{path}: unknown property {key!r}")
        if isinstance(instance, list):
            items = next((p["items"] for p in parts if "items" in p), None)
            if items is not None:
                for i, item in enumerate(instance):
                    self._check(item, items, f"{path}[{i}]", found)

    @staticmethod
    def _scalar(value: Any, s: dict, path: str, found: list[str]) -> None:
        if "enum" in s and value not in s["enum"]:
            found.append(f"{path}: {value!r} is not one of {s['enum']}")
        if isinstance(value, str):
            if "maxLength" in s and len(value) > s["maxLength"]:
                found.append(f"{path}: longer than {s['maxLength']} characters")
            if "minLength" in s and len(value) < s["minLength"]:
                found.append(f"{path}: shorter than {s['minLength']} characters")
            if "pattern" in s and not re.search(s["pattern"], value):
                found.append(f"{path}: {value!r} does not match {s['pattern']}")
            if s.get("format") == "uri" and not re.match(r"^[a-zA-Z][a-zA-Z0-9+.-]*:\S+$", value):
                found.append(f"{path}: {value!r} is not a URI")
            if s.get("format") == "uuid":
                try:
                    uuid.UUID(value)
                except ValueError:
                    found.append(f"{path}: {value!r} is not a UUID")
        if isinstance(value, list):
            if "maxItems" in s and len(value) > s["maxItems"]:
                found.append(f"{path}: more than {s['maxItems']} items")
            if "minItems" in s and len(value) < s["minItems"]:
                found.append(f"{path}: fewer than {s['minItems']} items")
        if isinstance(value, int | float) and not isinstance(value, bool):
            if "maximum" in s and value > s["maximum"]:
                found.append(f"{path}: {value} is over {s['maximum']}")
            if "minimum" in s and value < s["minimum"]:
                found.append(f"{path}: {value} is under {s['minimum']}")


@cache
def messaging() -> Spec:
    return Spec(MESSAGING)


@cache
def webhook() -> Spec:
    return Spec(WEBHOOK)


def request_schema(method: str, path: str) -> str | None:
    """The request body schema name of a Messaging API operation (e.g. POST /v2/bot/message/reply)."""
    op = messaging().doc["paths"].get(path, {}).get(method.lower(), {})
    content = op.get("requestBody", {}).get("content", {}).get("application/json", {})
    ref = content.get("schema", {}).get("$ref")
    return ref.rsplit("/", 1)[1] if ref else None


# Limits LINE's reference documents but the OpenAPI files do not encode (developers.line.biz, Messaging API
# reference): checked by the fake LINE server as well.
TEXT_MAX = 5000
ALT_TEXT_MAX = 1500
QUICK_REPLY_LABEL_MAX = 20
CAROUSEL_MAX = 12


def line_limits(messages: list[dict]) -> list[str]:
    problems = []
    for i, msg in enumerate(messages):
        if msg.get("type") == "text" and len(msg.get("text", "")) > TEXT_MAX:
            problems.append(f"messages[{i}].text: over {TEXT_MAX} characters")
        if msg.get("type") == "flex":
            if len(msg.get("altText", "")) > ALT_TEXT_MAX:
                problems.append(f"messages[{i}].altText: over {ALT_TEXT_MAX} characters")
            contents = msg.get("contents", {})
            if contents.get("type") == "carousel" and len(contents.get("contents", [])) > CAROUSEL_MAX:
                problems.append(f"messages[{i}].contents: over {CAROUSEL_MAX} bubbles")
        for j, item in enumerate(msg.get("quickReply", {}).get("items", [])):
            if len(item.get("action", {}).get("label", "")) > QUICK_REPLY_LABEL_MAX:
                problems.append(f"messages[{i}].quickReply.items[{j}].action.label: over "
                                f"{QUICK_REPLY_LABEL_MAX} characters")
    return problems
