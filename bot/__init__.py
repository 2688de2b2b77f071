"""coursebot: answers students' questions about one course and reminds them of deadlines."""

__version__ = "0.1.0"
