"""The OpenAI-compatible API Tramontane serves for the loaded model."""
