"""Serving a course: the engine assembled from knowledge + settings, the live course swapped
whole on reload, and the feedback store of asked questions and votes.

Above the core (it wires knowledge, index and answer together), below the adapters (the
CLI and Discord use it); no module here imports discord.
"""
