"""Course knowledge: the instructor's YAML, validated into one immutable Course."""

from bot.knowledge.course import Course, Due
from bot.knowledge.load import knowledge_hash, load_course
from bot.knowledge.yamlfile import KnowledgeError, Problem

__all__ = ["Course", "Due", "KnowledgeError", "Problem", "knowledge_hash", "load_course"]
