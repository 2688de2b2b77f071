"""Understand a question: independent extractors over the normalised text.

Each extractor is a pure function of (text, course[, now]) and returns typed mentions
with their character spans, so the planner can replace them by typed placeholders.
"""
