"""Diagnosis -> words: ``common.present`` localises once; ``text`` and ``blocks`` lay it out."""
