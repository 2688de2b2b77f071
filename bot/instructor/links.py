"""Links written anywhere else on the page (logistics, policies) -> resources.yaml entries.

A link students may look for ("Homework is submitted on Gradescope (https://...)", the
textbook's free copy, the course GitHub) becomes a resource unless it is already a reading,
a resource, a session's or deliverable's link, a staff member's page or e-mail, an
office-hours room link, or a link within the page.
"""

from __future__ import annotations

import re
from typing import Any
from urllib.parse import urlparse

from bot.instructor.document import Link, Section
from bot.instructor.emit import unwrap
from bot.instructor.gather import Gathered
from bot.instructor.words import resource_kind

SKIPPED_ROLES = {"readings", "resources", "calendar"}


def _urls(node: Any) -> set[str]:
    node = unwrap(node)
    if isinstance(node, dict):
        found = {_key(unwrap(node["url"]))} if isinstance(unwrap(node.get("url")), str) else set()
        for value in node.values():
            found |= _urls(value)
        return found
    if isinstance(node, list | tuple):
        return set().union(*(_urls(item) for item in node)) if node else set()
    return set()


def _key(url: str) -> str:
    return url.rstrip("/").lower()


def sweep_links(root: Section, gathered: Gathered, course: dict[str, Any], sessions: list[Any],
                readings: list[Any], resources: list[Any]) -> list[dict[str, Any]]:
    known = (_urls(readings) | _urls(resources) | _urls(sessions) | _urls(course.get("staff", []))
             | _urls(course.get("meetings", [])))
    textbook = unwrap(course.get("textbook")) or {}
    found: list[dict[str, Any]] = []
    for section in root.walk():
        if gathered.role_of_section.get(id(section)) in SKIPPED_ROLES:
            continue
        for block in section.blocks:
            for _, line in block.text_lines():
                for link in line.links:
                    if _skip(link) or _key(link.url) in known:
                        continue
                    known.add(_key(link.url))
                    name = _name(link, line.plain, textbook)
                    found.append({"name": name, "kind": _kind(link, name, line.plain, section.title),
                                  "url": link.url, "description": line.plain})
    return found


def _host(url: str) -> str:
    try:
        return urlparse(url).netloc.removeprefix("www.")
    except ValueError:  # "http://[x]": not a host urllib accepts
        return ""


def _path(url: str) -> list[str]:
    try:
        return [part for part in urlparse(url).path.split("/") if part]
    except ValueError:
        return []


def _skip(link: Link) -> bool:
    url = link.url.lower()
    return url.startswith(("mailto:", "#", "javascript:", "tel:")) or "zoom.us/" in url or not re.match(
        r"https?://", url)


def _name(link: Link, line: str, textbook: dict[str, Any]) -> str:
    text = link.text.strip()
    if textbook and _key(unwrap(textbook.get("url")) or "") == _key(link.url):
        return str(unwrap(textbook.get("title")))
    if text and not text.lower().startswith(("http", "www.")) and text.lower() not in ("here", "link", "this"):
        return text
    host, path = _host(link.url), _path(link.url)
    return f"{host}/{path[0]}" if host.startswith("github.com") and path else host or link.url


def _kind(link: Link, name: str, line: str, heading: str) -> str:
    host = _host(link.url).lower()
    if "colab" in host or "sagemaker" in host:
        return "compute"
    if "github.com" in host or "gradescope" in host:
        return "tool"
    kind = resource_kind(name, heading, line)
    return kind
