"""Ingest: load corpus files, clean their text, cut it into chunks and write the index."""
