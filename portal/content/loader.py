"""Load content files into the database, and dump the database back to files.

`load_paths` is all-or-nothing: every file is read and checked first; any error names the
file and the field and nothing of the run is kept. Loading the same files twice changes
nothing; a changed file updates its row and writes a revision. `load_documents` does the same
for content dicts made elsewhere (an importer, a benchmark). Items are looked up, written and
bookkept a batch at a time, so a load of 100,000 items is a few hundred queries, not a
few hundred thousand.
"""
from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Iterable

import frontmatter
import yaml
from frontmatter.default_handlers import YAMLHandler

from ..extensions import db
from . import campaigns
from .models import CONTENT_MODELS, Campaign, ContentMixin
from .schema import ContentError, apply, to_dict, validate

BATCH = 500  # items looked up, inserted and bookkept together
from .services import audit, record_changes


class _FrontMatterLoader(yaml.SafeLoader):
    """YAML's safe loader, except that an impossible date (month 13) stays text.

    PyYAML raises a bare ValueError for such a timestamp, before the schema can name the
    field; kept as text, the schema's date checks report it with the file and the field.
    """

    def construct_yaml_timestamp(self, node):
        try:
            return super().construct_yaml_timestamp(node)
        except ValueError:
            return self.construct_scalar(node)


_FrontMatterLoader.add_constructor("tag:yaml.org,2002:timestamp", _FrontMatterLoader.construct_yaml_timestamp)


class _FrontMatterHandler(YAMLHandler):
    def load(self, fm: str, **kwargs: Any) -> Any:
        return yaml.load(fm, Loader=_FrontMatterLoader)  # noqa: S506 (a SafeLoader subclass)


@dataclass
class LoadReport:
    created: list[str] = field(default_factory=list)
    updated: list[str] = field(default_factory=list)
    unchanged: list[str] = field(default_factory=list)


class LoadError(Exception):
    """One or more files were rejected; ``errors`` holds a ContentError per problem."""

    def __init__(self, errors: list[ContentError]):
        self.errors = errors
        super().__init__("\n".join(str(e) for e in errors))


def content_files(paths: Iterable[str | Path]) -> list[Path]:
    """Markdown files at ``paths``: a file, or a folder read recursively, in a stable order."""
    files: list[Path] = []
    for path in map(Path, paths):
        if path.is_dir():
            files.extend(sorted(p for p in path.rglob("*.md") if p.is_file()))
        elif path.is_file():
            files.append(path)
        else:
            raise LoadError([ContentError("path", "does not exist", str(path))])
    return files


def read_file(path: Path) -> dict[str, Any]:
    """Parse one content file into a validated content dict."""
    try:
        text = path.read_text(encoding="utf-8")
    except UnicodeDecodeError:
        raise ContentError("file", "is not UTF-8 text", str(path)) from None
    if not text.lstrip("\ufeff").startswith("---"):
        raise ContentError("front matter", "missing: the file must start with a --- line", str(path))
    try:
        post = frontmatter.loads(text.lstrip("\ufeff"), handler=_FrontMatterHandler())
    except yaml.YAMLError as exc:
        mark = getattr(exc, "problem_mark", None)
        where = f" (line {mark.line + 1})" if mark else ""
        raise ContentError("front matter", f"is not valid YAML{where}", str(path)) from None
    data = dict(post.metadata)
    if "body" in data:
        raise ContentError("body", "unknown key (the body is the text after the front matter)", str(path))
    data["body"] = post.content
    try:
        return validate(data)
    except ContentError as exc:
        exc.source = str(path)
        exc.args = (f"{path}: {exc.field}: {exc.message}",)
        raise


def load_paths(paths: Iterable[str | Path], label: str = "cli") -> LoadReport:
    """Upsert the content files at ``paths`` by type and slug, in one transaction."""
    errors: list[ContentError] = []
    items: list[tuple[str, dict[str, Any]]] = []
    for path in content_files(paths):
        try:
            items.append((str(path), read_file(path)))
        except ContentError as exc:
            errors.append(exc)
    return _load(items, label, errors)


def load_documents(documents: Iterable[tuple[str, dict[str, Any]]], label: str = "cli") -> LoadReport:
    """Upsert content dicts (as a file's front matter plus ``body``), each named by its source.

    The same checks as for files: every dict validated, errors named by source and field,
    nothing kept when anything is wrong.
    """
    errors: list[ContentError] = []
    items: list[tuple[str, dict[str, Any]]] = []
    for source, data in documents:
        try:
            items.append((source, validate(data)))
        except ContentError as exc:
            exc.source = source
            exc.args = (f"{source}: {exc.field}: {exc.message}",)
            errors.append(exc)
    return _load(items, label, errors)


def _load(items: list[tuple[str, dict[str, Any]]], label: str, errors: list[ContentError]) -> LoadReport:
    seen: dict[tuple[str, str], str] = {}
    unique = []
    for source, data in items:
        key = (data["type"], data["slug"])
        if key in seen:
            errors.append(ContentError("slug", f"{data['slug']!r} is also used by {seen[key]}", source))
            continue
        seen[key] = source
        unique.append((source, data))
    if errors:
        raise LoadError(errors)

    report = LoadReport()
    campaign_items = [(source, data) for source, data in unique if data["type"] == "campaign"]
    unique = [(source, data) for source, data in unique if data["type"] != "campaign"]
    try:
        with db.session.no_autoflush:
            rows = _upsert(unique, report, label, errors)
        created, updated, unchanged = campaigns.upsert(campaign_items)
        report.created += created
        report.updated += updated
        report.unchanged += unchanged
        rows += len(created) + len(updated)
        if errors:
            raise LoadError(errors)
        if rows:
            audit("content.load", None, None, {"created": len(report.created), "updated": len(report.updated)},
                  label=label)
        db.session.commit()
    except BaseException:
        db.session.rollback()
        raise
    return report


def _find_many(kind: str, slugs: set[str]) -> dict[str, ContentMixin]:
    """The items of ``kind`` with these slugs, by slug (one query)."""
    if not slugs:
        return {}
    model = CONTENT_MODELS[kind]
    found = db.session.execute(db.select(model).where(model.slug.in_(sorted(slugs)))).scalars()
    return {item.slug: item for item in found}


def _upsert(items, report: LoadReport, label: str, errors: list[ContentError]) -> int:
    """Create or update the items a batch at a time: a few queries and flushes per batch, not per item."""
    changed = 0
    # Originals first, so a translation can point at an item created in the same run.
    items = sorted(items, key=lambda pair: pair[1]["translation_of"] is not None)
    for start in range(0, len(items), BATCH):
        batch = items[start:start + BATCH]
        wanted_slugs: dict[str, set[str]] = {}
        for _source, data in batch:
            wanted_slugs.setdefault(data["type"], set()).add(data["slug"])
            if data["translation_of"]:
                wanted_slugs[data["type"]].add(data["translation_of"])
        known = {(kind, slug): item for kind, slugs in wanted_slugs.items()
                 for slug, item in _find_many(kind, slugs).items()}
        changes: list[tuple[ContentMixin, str]] = []
        for source, data in batch:
            model = CONTENT_MODELS[data["type"]]
            existing = known.get((data["type"], data["slug"]))
            candidate = model()
            apply(candidate, data)
            if data["translation_of"]:
                target = known.get((data["type"], data["translation_of"]))
                if target is None:
                    errors.append(ContentError("translation_of",
                                               f"no {data['type']} with slug {data['translation_of']!r}", source))
                    continue
                candidate.translation_of = target
            if existing is not None and to_dict(existing) == to_dict(candidate):
                report.unchanged.append(source)
                continue
            item = existing or candidate
            if existing is not None:
                apply(existing, data)
                existing.translation_of = candidate.translation_of
            else:
                known[(data["type"], data["slug"])] = item  # a translation later in this batch may point here
            item.has_unpublished_changes = False
            changes.append((item, "load" if existing is None else "load-update"))
            (report.created if existing is None else report.updated).append(source)
        if changes:
            record_changes(changes, label=label)
            changed += len(changes)
    return changed


def dump_all(target: str | Path) -> int:
    """Write every item as a content file under ``target``/{articles,warnings,sanctions,campaigns}/."""
    target = Path(target)
    count = 0
    for kind, model in CONTENT_MODELS.items():
        folder = target / f"{kind}s"
        folder.mkdir(parents=True, exist_ok=True)
        for item in db.session.execute(db.select(model).order_by(model.id)).scalars():
            (folder / f"{item.slug}.md").write_text(dump_item(item), encoding="utf-8")
            count += 1
    rows = list(db.session.execute(db.select(Campaign).order_by(Campaign.id)).scalars())
    if rows:
        (target / "campaigns").mkdir(parents=True, exist_ok=True)
    for row in rows:
        header = yaml.safe_dump(campaigns.file_dict(row), allow_unicode=True, sort_keys=False, width=100)
        (target / "campaigns" / f"{row.slug}.md").write_text(f"---\n{header}---\n", encoding="utf-8")
        count += 1
    return count


def dump_item(item: ContentMixin) -> str:
    """One item as the text of a content file."""
    data = to_dict(item)
    body = data.pop("body", "")
    header = yaml.safe_dump(data, allow_unicode=True, sort_keys=False, width=100)
    return f"---\n{header}---\n{body}\n"
