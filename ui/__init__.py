"""Surfaces for people: the Gradio app and the website widget."""
