"""Stores: the one protocol both backends satisfy, the writer that feeds them, and the reads."""
