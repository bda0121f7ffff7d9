"""One behaviour suite for both file stores: the local folder and an S3-compatible server
(moto's real HTTP server in a subprocess: no MinIO binary or Docker installs here)."""

import hashlib
import io
import os
import uuid

import pytest

from portal.files import store_from_config
from portal.files.store import CHUNK, LocalStore, MissingFile, S3Store, TooLarge

pytestmark = pytest.mark.integration

MIB = 1024 * 1024


class Recording(io.BytesIO):
    """A body that remembers how much was asked of it at once and in all."""

    def __init__(self, data: bytes) -> None:
        super().__init__(data)
        self.largest_read = 0
        self.total_read = 0

    def read(self, size: int | None = -1) -> bytes:
        data = super().read(size)
        self.largest_read = max(self.largest_read, len(data))
        self.total_read += len(data)
        return data


@pytest.fixture(params=["local", "s3"])
def settings(request, tmp_path):
    """The settings of one store (both stores run every test)."""
    if request.param == "local":
        return {"PORTAL_FILE_STORE": "local", "PORTAL_FILE_DIR": str(tmp_path / "files")}
    return request.getfixturevalue("s3_config")


@pytest.fixture
def store(settings):
    made = store_from_config(settings)
    if isinstance(made, S3Store):
        made.part_size = 5 * MIB  # S3's smallest part: big bodies go multipart in the tests
    return made


def body(size: int) -> bytes:
    return os.urandom(size)


def read_all(store, key: str) -> bytes:
    stream = store.open(key)
    try:
        return stream.read()
    finally:
        stream.close()


def test_a_stored_file_reads_back_with_its_size_and_sha256(store):
    data = body(300_000)
    stored = store.put("items/a/v1", io.BytesIO(data), max_bytes=MIB)
    assert (stored.key, stored.size) == ("items/a/v1", len(data))
    assert stored.sha256 == hashlib.sha256(data).hexdigest()
    assert store.exists("items/a/v1") and read_all(store, "items/a/v1") == data


def test_a_body_is_read_in_chunks_never_whole(store):
    source = Recording(body(11 * MIB))  # three parts on S3
    stored = store.put("big/one", source, max_bytes=20 * MIB)
    assert source.largest_read <= CHUNK
    assert stored.size == 11 * MIB and read_all(store, "big/one") == source.getvalue()


def test_a_body_of_exactly_the_limit_is_stored(store):
    assert store.put("edge", io.BytesIO(body(4096)), max_bytes=4096).size == 4096


@pytest.mark.parametrize("size", [70_000, 12 * MIB])
def test_a_body_over_the_limit_is_refused_while_reading_and_leaves_nothing(store, size):
    limit = size - 1
    source = Recording(body(size))
    with pytest.raises(TooLarge):
        store.put("too/large", source, max_bytes=limit)
    assert source.total_read <= limit + CHUNK
    assert not store.exists("too/large")
    if isinstance(store, S3Store):  # no multipart upload left behind to pay for
        uploads = store.client.list_multipart_uploads(Bucket=store.bucket)
        assert uploads.get("Uploads", []) == []
    else:
        assert [p.name for p in store.root.rglob("*") if p.is_file()] == []


def test_a_refused_body_leaves_the_file_already_there_unchanged(store):
    first = body(1000)
    store.put("kept", io.BytesIO(first), max_bytes=2000)
    with pytest.raises(TooLarge):
        store.put("kept", io.BytesIO(body(3000)), max_bytes=2000)
    assert read_all(store, "kept") == first


def test_two_store_instances_see_the_same_uploaded_file(settings):
    """Two app instances (replicas) build their own store from the same settings."""
    writer, reader = store_from_config(settings), store_from_config(settings)
    data = body(50_000)
    writer.put("shared/file", io.BytesIO(data), max_bytes=MIB)
    assert reader.exists("shared/file") and read_all(reader, "shared/file") == data
    reader.delete("shared/file")
    assert not writer.exists("shared/file")


def test_a_missing_file_cannot_be_opened_and_deleting_it_is_harmless(store):
    key = f"missing/{uuid.uuid4().hex}"
    assert not store.exists(key)
    with pytest.raises(MissingFile):
        store.open(key)
    store.delete(key)
    store.put(key, io.BytesIO(b"x"), max_bytes=10)
    store.delete(key)
    assert not store.exists(key)


@pytest.mark.parametrize(
    "key", ["", "../escape", "a/../../b", "/absolute", "a//b", ".hidden", "a/.b", "a\\b", "é"]
)
def test_unsafe_keys_are_refused_by_every_operation(store, key):
    for operation in (
        lambda: store.put(key, io.BytesIO(b"x"), max_bytes=10),
        lambda: store.open(key),
        lambda: store.exists(key),
        lambda: store.delete(key),
    ):
        with pytest.raises(ValueError, match="unsafe file key"):
            operation()


def test_the_local_store_writes_nothing_outside_its_folder(tmp_path):
    store = LocalStore(tmp_path / "files")
    store.put("a/b/c.bin", io.BytesIO(b"data"), max_bytes=10)
    assert sorted(str(p.relative_to(tmp_path)) for p in tmp_path.rglob("*") if p.is_file()) == [
        "files/a/b/c.bin"
    ]
