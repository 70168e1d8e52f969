"""Extraction: a cleaned Document in, a graph Fragment out (entities -> roles -> events)."""
