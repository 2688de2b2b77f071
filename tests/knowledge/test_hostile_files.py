"""Knowledge files that are not what they seem: saves mid-load, alias bombs, devices, FIFOs, links.

Each test reproduces a defect of issue 11; every outcome must be a whole course or one
located, specific problem per file, quickly and in bounded memory.
"""

from __future__ import annotations

from bot.knowledge import knowledge_hash, load_course
from bot.knowledge.schema import FaqFile

# -- (3) the hash is of the bytes that were parsed -------------------------------------------


def test_a_save_during_loading_is_not_recorded_as_loaded(knowledge_copy, monkeypatch):
    """A save that lands after faq.yaml was read must leave the course's hash different from the disk's."""
    faq = knowledge_copy / "faq.yaml"
    validate = FaqFile.model_validate

    def save_meanwhile(data, *args, **kwargs):
        faq.write_text(faq.read_text("utf-8") + "\n# saved while the course was loading\n", "utf-8")
        return validate(data, *args, **kwargs)

    monkeypatch.setattr(FaqFile, "model_validate", save_meanwhile)
    course = load_course(knowledge_copy)
    monkeypatch.undo()
    assert "saved while" not in str(course.faq)
    assert course.source_hash != knowledge_hash(knowledge_copy), "the save would be reported as already loaded"
    assert load_course(knowledge_copy).source_hash == knowledge_hash(knowledge_copy)
