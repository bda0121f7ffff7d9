"""Publishing the repository's framework files at start-up: a file changed is read again."""

import shutil

from sqlalchemy import create_engine, select
from sqlalchemy.orm import Session

from assessment.frameworks import FRAMEWORKS_DIR, sync_repository_frameworks
from assessment.models import Base, FrameworkVersion


def _published(root):
    engine = create_engine("sqlite://")
    Base.metadata.create_all(engine)
    with Session(engine) as session:
        sync_repository_frameworks(session=session, root=root)
        rows = session.scalars(select(FrameworkVersion)).all()
        return {(row.key, row.version): row.document for row in rows}


def test_a_version_folder_added_after_a_start_is_published_by_the_next_start(tmp_path):
    root = tmp_path / "frameworks"
    shutil.copytree(FRAMEWORKS_DIR / "ai-ml-readiness", root / "ai-ml-readiness")
    assert set(_published(root)) == {("ai-ml-readiness", "1.0")}

    copy = root / "ai-ml-readiness" / "1.1"
    shutil.copytree(root / "ai-ml-readiness" / "1.0", copy)
    manifest = copy / "framework.yaml"
    manifest.write_text(
        manifest.read_text("utf-8").replace('version: "1.0"', 'version: "1.1"'), "utf-8"
    )

    assert set(_published(root)) == {("ai-ml-readiness", "1.0"), ("ai-ml-readiness", "1.1")}
