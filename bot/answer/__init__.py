"""The answer engine: questions in, cited answers (or polite declines) out."""
