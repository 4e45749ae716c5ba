"""Tramontane: offline desktop chat for Mistral Small 3.2, run by llama.cpp."""

__version__ = "0.1.0"
