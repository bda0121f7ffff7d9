"""Dead letters of a service's consumer groups: list, read, replay and purge them.

A consumer that gives up on an event (``shared.bus``) appends it to ``<stream>:dlq`` with its
group, original entry, delivery count and reason, and acknowledges it. Several groups (of one or
more services) may share a dead-letter stream, so every operation here is scoped to the groups
a service runs, given as ``(stream, group)`` pairs.

A replay appends the original event to its stream again, addressed to its group only
(``REPLAY_FOR``: the stream's other groups acknowledge it unread), clears the group's mark of the
event id as handled, so the handler really runs again instead of skipping a duplicate, and
removes the dead letter: all three in one Lua script, so the dead letter is gone exactly when
the event is back (two operators replaying the same entry put it back once).
"""

from __future__ import annotations

import json
from collections.abc import Iterable, Iterator, Mapping, Sequence
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any

import redis

from shared.bus import REPLAY_FOR, dlq_name, processed_key
from shared.events import CloudEvent, InvalidEvent
from shared.timestamps import utcnow

# (stream, group): a consumer group of the service and a stream it reads.
GroupStreams = Sequence[tuple[str, str]]
DLQ_SUFFIX = ":dlq"
_PAGE = 500

# KEYS: stream, dead-letter stream, processed mark. ARGV: dead letter id, MAXLEN, fields...
_REPLAY = """
if #redis.call('XRANGE', KEYS[2], ARGV[1], ARGV[1]) == 0 then return false end
local fields = {}
for i = 3, #ARGV do fields[#fields + 1] = ARGV[i] end
local added = redis.call('XADD', KEYS[1], 'MAXLEN', '~', ARGV[2], '*', unpack(fields))
redis.call('DEL', KEYS[3])
redis.call('XDEL', KEYS[2], ARGV[1])
return added
"""


class DeadLetterError(LookupError):
    """A dead letter that cannot be found, is ambiguous, or cannot be replayed."""


@dataclass(frozen=True)
class DeadLetter:
    """One entry of a dead-letter stream."""

    id: str
    dead_letter_stream: str
    stream: str
    entry_id: str
    group: str
    event_type: str
    event_id: str
    deliveries: int
    reason: str
    time: str
    event: str

    @property
    def replayable(self) -> bool:
        """Return whether the entry holds a valid event (a malformed one can only be purged)."""
        return self.parsed() is not None

    def parsed(self) -> CloudEvent | None:
        """Return the event, or None when it is not a valid CloudEvent."""
        try:
            return CloudEvent.from_json(self.event)
        except InvalidEvent:
            return None

    def summary(self) -> dict[str, Any]:
        """Return the entry's fields without the event (a ``list`` line)."""
        return {
            "id": self.id,
            "dead_letter_stream": self.dead_letter_stream,
            "stream": self.stream,
            "entry_id": self.entry_id,
            "group": self.group,
            "event_type": self.event_type,
            "event_id": self.event_id,
            "deliveries": self.deliveries,
            "reason": self.reason,
            "time": self.time,
        }

    def document(self) -> dict[str, Any]:
        """Return the entry with the full event (decoded JSON when it is JSON, else text)."""
        try:
            event: Any = json.loads(self.event)
        except ValueError:
            event = self.event
        return {**self.summary(), "event": event}


@dataclass(frozen=True)
class Replayed:
    """What a replay did: the event's new entry and whether the group had marked it handled."""

    letter: DeadLetter
    new_entry_id: str
    was_marked_handled: bool


def source_stream(name: str) -> str:
    """Return the stream a name stands for (``assessment:events:dlq`` -> ``assessment:events``)."""
    return name[: -len(DLQ_SUFFIX)] if name.endswith(DLQ_SUFFIX) else name


def streams_of(groups: GroupStreams, stream: str | None = None) -> list[str]:
    """Return the streams the groups read (only ``stream``, which must be one, when given)."""
    streams = sorted({name for name, _group in groups})
    if stream is None:
        return streams
    wanted = source_stream(stream)
    if wanted not in streams:
        known = ", ".join(streams) or "none"
        raise DeadLetterError(f"no consumer group of this service reads {wanted} (read: {known})")
    return [wanted]


def _text(value: Any) -> str:
    return value.decode(errors="replace") if isinstance(value, bytes) else str(value)


def _letter(dead_letter_stream: str, entry_id: Any, fields: Mapping[Any, Any]) -> DeadLetter:
    values = {_text(key): _text(value) for key, value in fields.items()}
    raw = values.get("event", "")
    event_type, event_id = "", ""
    try:
        document = json.loads(raw)
    except ValueError:
        document = None
    if isinstance(document, dict):
        event_type, event_id = str(document.get("type", "")), str(document.get("id", ""))
    deliveries = values.get("deliveries", "0")
    return DeadLetter(
        id=_text(entry_id),
        dead_letter_stream=dead_letter_stream,
        stream=values.get("stream", source_stream(dead_letter_stream)),
        entry_id=values.get("entry_id", ""),
        group=values.get("group", ""),
        event_type=event_type,
        event_id=event_id,
        deliveries=int(deliveries) if deliveries.isdigit() else 0,
        reason=values.get("reason", ""),
        time=values.get("time", ""),
        event=raw,
    )


def _entries(client: redis.Redis, key: str, start: str = "-", end: str = "+") -> Iterator[Any]:
    """Yield ``(id, fields)`` of a stream in id order, a page at a time."""
    while True:
        page: Any = client.xrange(key, min=start, max=end, count=_PAGE)
        yield from page
        if len(page) < _PAGE:
            return
        start = f"({_text(page[-1][0])}"


def iter_dead_letters(
    client: redis.Redis, groups: GroupStreams, *, stream: str | None = None, end: str = "+"
) -> Iterator[DeadLetter]:
    """Yield the dead letters of the groups, oldest first per stream (up to id ``end``)."""
    for name in streams_of(groups, stream):
        mine = {group for source, group in groups if source == name}
        key = dlq_name(name)
        for entry_id, fields in _entries(client, key, end=end):
            letter = _letter(key, entry_id, fields)
            if letter.group in mine:
                yield letter


def list_dead_letters(
    client: redis.Redis, groups: GroupStreams, *, stream: str | None = None, limit: int = 50
) -> list[DeadLetter]:
    """Return up to ``limit`` dead letters of the groups, oldest first per stream."""
    found: list[DeadLetter] = []
    for letter in iter_dead_letters(client, groups, stream=stream):
        if len(found) >= limit:
            break
        found.append(letter)
    return found


def count_dead_letters(client: redis.Redis, groups: GroupStreams) -> dict[str, int]:
    """Return the number of the groups' dead letters per dead-letter stream."""
    counts = {dlq_name(name): 0 for name in streams_of(groups)}
    for letter in iter_dead_letters(client, groups):
        counts[letter.dead_letter_stream] += 1
    return counts


def find_dead_letter(
    client: redis.Redis, groups: GroupStreams, entry_id: str, *, stream: str | None = None
) -> DeadLetter:
    """Return the groups' dead letter ``entry_id`` (raises ``DeadLetterError``)."""
    matches = []
    for name in streams_of(groups, stream):
        key = dlq_name(name)
        try:
            entries: Any = client.xrange(key, min=entry_id, max=entry_id, count=1)
        except redis.ResponseError as exc:  # not a stream entry id
            raise DeadLetterError(f"{entry_id!r} is not a stream entry id") from exc
        mine = {group for source, group in groups if source == name}
        letters = [_letter(key, found_id, fields) for found_id, fields in entries]
        matches += [letter for letter in letters if letter.group in mine]
    if not matches:
        raise DeadLetterError(f"no dead letter {entry_id} of this service's consumer groups")
    if len(matches) > 1:
        where = ", ".join(letter.dead_letter_stream for letter in matches)
        raise DeadLetterError(f"dead letter {entry_id} is in several streams ({where}): --stream")
    return matches[0]


def replay(client: redis.Redis, letter: DeadLetter, *, maxlen: int) -> Replayed:
    """Put the dead letter's event back on its stream for its group and remove the dead letter.

    Raises ``DeadLetterError`` when the event is malformed or the dead letter is already gone.
    """
    event = letter.parsed()
    if event is None:
        raise DeadLetterError(f"dead letter {letter.id} holds no valid event: purge it instead")
    mark = processed_key(letter.group, event.id)
    was_marked = bool(client.exists(mark))
    fields = ["event", letter.event, "type", event.type, "id", event.id, REPLAY_FOR, letter.group]
    added = client.eval(
        _REPLAY, 3, letter.stream, letter.dead_letter_stream, mark, letter.id, maxlen, *fields
    )
    if added is None:
        raise DeadLetterError(f"dead letter {letter.id} is gone (replayed or purged meanwhile)")
    return Replayed(letter=letter, new_entry_id=_text(added), was_marked_handled=was_marked)


def replay_all(
    client: redis.Redis, groups: GroupStreams, *, maxlen: int, stream: str | None = None
) -> tuple[list[Replayed], list[tuple[DeadLetter, str]]]:
    """Replay every dead letter of the groups there is now; return the replayed and the refused.

    Only entries present when it starts are replayed: one failing again meanwhile is a new
    dead letter, left for the operator.
    """
    ends = {name: _last_id(client, dlq_name(name)) for name in streams_of(groups, stream)}
    done: list[Replayed] = []
    refused: list[tuple[DeadLetter, str]] = []
    for name, end in ends.items():
        if end is None:
            continue
        for letter in list(iter_dead_letters(client, groups, stream=name, end=end)):
            try:
                done.append(replay(client, letter, maxlen=maxlen))
            except DeadLetterError as exc:
                refused.append((letter, str(exc)))
    return done, refused


def _last_id(client: redis.Redis, key: str) -> str | None:
    last: Any = client.xrevrange(key, count=1)
    return _text(last[0][0]) if last else None


def purge(client: redis.Redis, letters: Iterable[DeadLetter]) -> int:
    """Delete the dead letters; return how many were still there."""
    removed = 0
    for letter in letters:
        removed += int(client.xdel(letter.dead_letter_stream, letter.id))
    return removed


def older_than(
    client: redis.Redis,
    groups: GroupStreams,
    age: timedelta,
    *,
    stream: str | None = None,
    now: datetime | None = None,
) -> list[DeadLetter]:
    """Return the groups' dead letters written more than ``age`` ago (by their entry id)."""
    cutoff_ms = int(((now or utcnow()) - age).timestamp() * 1000)
    return list(iter_dead_letters(client, groups, stream=stream, end=f"({cutoff_ms}-0"))
