"""Handing a case file to the archive as xdomea 3.1.0 (docs/administration.md#archiv-xdomea):
``export`` writes the message Aussonderung.Aussonderung.0503 with the file's documents as
a zip, ``receipt`` reads the archive's answers (0507 received, 0506 taken over or not),
``schema`` validates both against the xdomea XML Schemas kept in ``schemas/``."""
