"""People's corrections of the consolidated entities, applied after `consolidate()`.

    entities = apply_edits(consolidate(groups), store.entity_edits(), groups)

An edit never names today's entity id (ids change when consolidation or the analysis does):
it names a mention *name* the entity holds, with that mention's label. "Merge the entity
holding `Сәдуақасұлы` into the one holding `Смағұл Сәдуақасов`", "split `С. Сәдуақасов` out",
"rename the entity holding `Ғ. Тоғжанов` to `Ғаббас Тоғжанов`", "relabel the entity holding
`Алаш` from ORGANISATION to GPE". Names come from the stored text, so an edit finds its
entity again after the same documents are ingested again or analysed anew. Edits are applied
in the order they were made; one whose name no longer occurs is kept and reported as not
applying (`Edited.applied`), never an error.
"""

from __future__ import annotations

import dataclasses
import re
import unicodedata
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from typing import Any

from muragat.errors import InputError
from muragat.i18n import t
from muragat.search.entities import Entity, MentionGroup, place_type


class UnknownEntityError(InputError):
    """An edit names no entity at all (the API's 404, the CLI's bad input)."""

OPS = ("merge", "split", "rename", "relabel")
_LABEL = re.compile(r"^[A-Z][A-Z_]{1,31}$")
MAX_NAME = 200
Member = tuple[str, str]  # (mention label, mention name): what an edit holds on to


@dataclass(frozen=True, slots=True)
class EntityEdit:
    """One correction. `label`/`name`: a mention the edited entity holds. `value`: merge, the
    name the entity merged into holds (with `value_label`); rename, the display name;
    relabel, the new label; split, unused."""

    op: str
    label: str
    name: str
    value: str = ""
    value_label: str = ""
    id: int | None = None
    author: str = ""
    created: str = ""

    def to_dict(self) -> dict[str, Any]:
        return {"id": self.id, "op": self.op, "label": self.label, "name": self.name,
                "value": self.value, "value_label": self.value_label, "author": self.author,
                "created": self.created}

    @classmethod
    def from_dict(cls, data: Any) -> EntityEdit:
        if not isinstance(data, dict):
            raise InputError(t("түзету JSON нысаны болуы керек", "an edit must be a JSON object"))
        strings = {k: data.get(k) or "" for k in ("op", "label", "name", "value",
                                                  "value_label", "author", "created")}
        if not all(isinstance(v, str) for v in strings.values()):
            raise InputError(t("түзету өрістері жол болуы керек", "edit fields must be strings"))
        return check_edit(cls(**strings))

    def describe(self) -> str:
        what = f"{self.label} «{self.name}»"
        if self.op == "merge":
            return t(f"{what} → {self.value_label} «{self.value}» біріктіру",
                     f"merge {what} into {self.value_label} «{self.value}»")
        if self.op == "split":
            return t(f"{what} бөлек нысан", f"split {what} out")
        if self.op == "rename":
            return t(f"{what} атауы: «{self.value}»", f"rename {what} to «{self.value}»")
        return t(f"{what} түрі: {self.value}", f"relabel {what} as {self.value}")


def _text(value: str, what: str) -> str:
    value = unicodedata.normalize("NFC", value.strip())
    if not value or len(value) > MAX_NAME or any(unicodedata.category(c)[0] == "C"
                                                 for c in value):
        raise InputError(t(f"{what}: бос емес, басқару таңбасыз, {MAX_NAME} таңбаға дейін жол "
                           f"керек: {value[:60]!r}", f"{what}: expected a non-empty text without "
                           f"control characters, up to {MAX_NAME} characters: {value[:60]!r}"))
    return value


def check_label(label: str) -> str:
    label = label.strip().upper()
    if not _LABEL.match(label):
        raise InputError(t(f"нысан түрі жарамсыз: {label[:40]!r} (PERSON, GPE, ORGANISATION…)",
                           f"not an entity type: {label[:40]!r} (PERSON, GPE, ORGANISATION…)"))
    return label


def check_edit(edit: EntityEdit) -> EntityEdit:
    """The edit with its fields normalised, or InputError saying what is wrong."""
    if edit.op not in OPS:
        raise InputError(t(f"белгісіз түзету: {edit.op[:30]!r} ({', '.join(OPS)})",
                           f"unknown edit: {edit.op[:30]!r} ({', '.join(OPS)})"))
    value, value_label = "", ""
    if edit.op == "merge":
        value, value_label = _text(edit.value, "value"), check_label(edit.value_label)
    elif edit.op == "rename":
        value = _text(edit.value, "value")
    elif edit.op == "relabel":
        value = check_label(edit.value)
    return dataclasses.replace(edit, label=check_label(edit.label),
                               name=_text(edit.name, "name"), value=value,
                               value_label=value_label, author=edit.author[:64])


@dataclass(slots=True)
class _Work:
    entity: Entity
    members: dict[Member, int]  # mentions of each (label, name)
    renamed: bool = False
    held: list[tuple[int, str]] = field(default_factory=list)  # (document, name): Entity.members
    reasons: dict[str, str] = field(default_factory=dict)  # name -> why: Entity.reasons

    @classmethod
    def of(cls, e: Entity) -> _Work:
        return cls(e, {(e.label, n): c for n, c in e.names.items()},
                   held=list(getattr(e, "members", []) or []),
                   reasons=dict(getattr(e, "reasons", {}) or {}))


@dataclass(slots=True)
class Edited:
    """Entities after the edits; which (mention label, name) belongs to which entity; and,
    for each edit in order, whether it applied (its names were found)."""

    entities: list[Entity]
    by_name: dict[Member, str]
    applied: list[bool] = field(default_factory=list)


def _fold(name: str) -> str:
    return unicodedata.normalize("NFC", name).casefold()


def _find(work: list[_Work], label: str, name: str) -> tuple[_Work, Member] | None:
    """The entity holding mention `name` of `label` (the mention's own label or the entity's
    label after a relabel): an exact name first, then one that differs only in case."""
    for exact in (True, False):
        best: tuple[int, _Work, Member] | None = None
        for w in work:
            for (lab, nm), count in w.members.items():
                same = nm == name if exact else _fold(nm) == _fold(name)
                if same and label in (lab, w.entity.label) and (best is None or count > best[0]):
                    best = (count, w, (lab, nm))
        if best is not None:
            return best[1], best[2]
    return None


def _unique(ident: str, used: set[str]) -> str:
    out, n = ident, 1
    while out in used:
        n += 1
        out = f"{ident}~{n}"
    used.add(out)
    return out


def _best(members: dict[Member, int]) -> str:
    return max(members.items(), key=lambda kv: (kv[1], len(kv[0][1])))[0][1]


def _rebuilt(w: _Work, docs: dict[Member, set[int]] | None, **changes: Any) -> Entity:
    """The entity of `w` recounted from its members (documents from the mention groups)."""
    names: dict[str, int] = {}
    for (_, name), count in sorted(w.members.items(), key=lambda kv: -kv[1]):
        names[name] = names.get(name, 0) + count
    documents = w.entity.documents
    if w.held:  # the (document, name) pairs consolidation gave: exact
        documents = len({d for d, _ in w.held})
    elif docs is not None:
        documents = len(set().union(*(docs.get(m, set()) for m in w.members)))
    name = changes.pop("name", w.entity.name)
    if not w.renamed and name not in names:  # its display name went with a split
        name = _best(w.members)
    if hasattr(w.entity, "members"):  # consolidation's own record, kept in step
        changes["members"] = list(w.held)
    if hasattr(w.entity, "reasons"):
        changes["reasons"] = {k: v for k, v in w.reasons.items() if k in names}
    if hasattr(w.entity, "place_type"):  # a split or merge changes the names that say it
        label = changes.get("label", w.entity.label)
        changes["place_type"] = place_type(names) if label in ("GPE", "LOCATION") else None
    return dataclasses.replace(w.entity, name=name, mentions=sum(names.values()),
                               documents=documents, names=names, **changes)


def _why(edit: EntityEdit) -> str:
    number = f" #{edit.id}" if edit.id is not None else ""
    by = f", {edit.author}" if edit.author else ""
    return t(f"қолмен түзету{number}{by}: {edit.op}", f"edited by hand{number}{by}: {edit.op}")


def _apply(work: list[_Work], edit: EntityEdit, used: set[str],
           docs: dict[Member, set[int]] | None) -> bool:
    found = _find(work, edit.label, edit.name)
    if found is None:
        return False
    w, member = found
    if edit.op == "merge":
        other = _find(work, edit.value_label, edit.value)
        if other is None:
            return False
        into = other[0]
        if into is w:
            return True  # already one entity
        for m, count in w.members.items():
            into.members[m] = into.members.get(m, 0) + count
            into.reasons[m[1]] = _why(edit)
        into.held += w.held
        work.remove(w)
        into.entity = _rebuilt(into, docs)
    elif edit.op == "split":
        if len(w.members) == 1:
            return True  # already on its own
        count = w.members.pop(member)
        held = [p for p in w.held if p[1] == member[1]]
        w.held = [p for p in w.held if p[1] != member[1]]
        w.entity = _rebuilt(w, docs)
        label = w.entity.label
        alone = _Work(dataclasses.replace(w.entity, id="", name=member[1]), {member: count},
                      held=held, reasons={member[1]: _why(edit)})
        ident = _unique(f"{label}:={_fold(member[1])}", used)
        alone.entity = _rebuilt(alone, docs, id=ident)
        work.append(alone)
    elif edit.op == "rename":
        w.renamed = True
        w.entity = dataclasses.replace(w.entity, name=edit.value)
    else:  # relabel: the id keeps its key, under the new label
        if w.entity.label != edit.value:
            _, _, rest = w.entity.id.partition(":")
            used.discard(w.entity.id)
            w.entity = dataclasses.replace(w.entity, label=edit.value,
                                           id=_unique(f"{edit.value}:{rest}", used))
    return True


def mention_docs(groups: Iterable[MentionGroup]) -> dict[Member, set[int]]:
    out: dict[Member, set[int]] = {}
    for g in groups:
        out.setdefault((g.label, g.name), set()).add(g.document)
    return out


def edited(entities: Sequence[Entity], edits: Iterable[EntityEdit],
           groups: Iterable[MentionGroup] | None = None) -> Edited:
    """`entities` (from consolidate) with `edits` applied in order. With the mention
    `groups` they came from, an edited entity's document count is exact."""
    docs = mention_docs(groups) if groups is not None else None
    work = [_Work.of(e) for e in entities]
    used = {e.id for e in entities}
    applied = [_apply(work, edit, used, docs) for edit in edits]
    out = [w.entity for w in work]
    out.sort(key=lambda e: (-e.mentions, e.label, e.name))
    by_name = {m: w.entity.id for w in work for m in w.members}
    return Edited(out, by_name, applied)


def apply_edits(entities: Sequence[Entity], edits: Iterable[EntityEdit],
                groups: Iterable[MentionGroup] | None = None) -> list[Entity]:
    """`entities` with `edits` applied in order (see `edited`)."""
    return edited(entities, edits, groups).entities


def resolve_ref(result: Edited, ref: str, label: str | None = None) -> Member:
    """The (mention label, name) an edit stores for what a user typed: an entity id (as shown
    today) or a name one entity holds. InputError when nothing, or more than one entity of
    different types, matches."""
    ref = ref.strip()
    by_id = {e.id: e for e in result.entities}
    if ref in by_id:
        entity = by_id[ref]
        members = [m for m, ident in result.by_name.items() if ident == ref]
        own = [m for m in members if m[0] == entity.label] or members
        counts = entity.names
        return max(own, key=lambda m: (counts.get(m[1], 0), len(m[1])))
    wanted = check_label(label) if label else None
    found = {m: ident for m, ident in result.by_name.items()
             if _fold(m[1]) == _fold(ref) and (wanted is None or wanted in
                                                (m[0], ident.partition(":")[0]))}
    exact = {m: i for m, i in found.items() if m[1] == ref} or found
    if len(set(exact.values())) == 1:
        return next(iter(exact))
    if not exact:
        raise UnknownEntityError(t(f"мұндай нысан не атау жоқ: {ref[:80]!r}",
                           f"no entity has this id or name: {ref[:80]!r}"))
    labels = ", ".join(sorted({m[0] for m in exact}))
    raise InputError(t(f"«{ref[:80]}» бірнеше нысанда бар ({labels}): --type беріңіз",
                       f"«{ref[:80]}» is held by several entities ({labels}): give --type"))
